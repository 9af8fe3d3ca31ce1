// The player's one connection to its MCP Apps host, and what it asks the server through it.
import { App } from '@modelcontextprotocol/ext-apps';
import { type Clip, clipOf } from './result.js';

/** The page's App: one per document, shared by every view and track. */
export const app = new App({ name: 'ElevenLabs audio player', version: '1.0.0' }, {}, { autoResize: true });

/** The text blocks of a tool result, joined: what the model was told, shown when there is nothing to play. */
export function textOf(content: ReadonlyArray<{ type: string; text?: string }> | undefined): string {
  return (content ?? [])
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('\n');
}

/** A fresh link for a stored file, from the server through the host. */
export async function freshClip(audioId: string): Promise<Clip> {
  if (!app.getHostCapabilities()?.serverTools) throw new Error('this host cannot ask the server for a link');
  const result = await app.callServerTool({ name: 'get_audio_url', arguments: { audio_id: audioId } });
  const clip = result.isError ? undefined : clipOf(result.structuredContent);
  if (!clip) throw new Error(textOf(result.content) || 'get_audio_url returned no link');
  return clip;
}
