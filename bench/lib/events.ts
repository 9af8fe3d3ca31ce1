import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { ROOT } from './paths.js';
import { BENCH_KEY } from './upstream.js';

const EVENTS_DIR = join(ROOT, 'events');

function template(name: string): LambdaFunctionURLEvent {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) as LambdaFunctionURLEvent;
}

/** A POST /mcp event from events/tools-list.json (a real Function URL event) carrying `message`. */
function mcpEvent(message: Record<string, unknown>, headers: Record<string, string> = {}): LambdaFunctionURLEvent {
  const event = template('tools-list');
  event.headers = { ...event.headers, ...headers };
  event.body = JSON.stringify({ jsonrpc: '2.0', id: 1, ...message });
  return event;
}

/** The events every measurement sends: Function URL events like those in events/. */
export const EVENTS = {
  /** events/initialize.json as it is (no key: initialize needs none). */
  initialize: template('initialize'),
  /** events/tools-list.json as it is. */
  toolsList: template('tools-list'),
  ping: mcpEvent({ method: 'ping' }),
  /** A read-only tool that calls ElevenLabs: GET /v1/user/subscription. */
  checkSubscription: mcpEvent(
    { method: 'tools/call', params: { name: 'check_subscription', arguments: {} } },
    { 'x-elevenlabs-api-key': BENCH_KEY },
  ),
  /** events/text-to-speech.json with the bench's key. */
  textToSpeech: (() => {
    const event = template('text-to-speech');
    event.headers = { ...event.headers, 'x-elevenlabs-api-key': BENCH_KEY };
    return event;
  })(),
};

export type EventName = keyof typeof EVENTS;
