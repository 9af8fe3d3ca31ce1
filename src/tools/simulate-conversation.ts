import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { readUpstreamDetail, NotFoundError } from '../errors/index.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import {
  asRefusedValue,
  pageTranscript,
  transcriptCharactersField,
  transcriptMessageShape,
} from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField, agentLanguageField, aliasNote, fromAlias } from '../toolkit/shared-inputs.js';

const RETIRED =
  'ElevenLabs no longer offers the simulate-conversation endpoint (it was announced for removal on 31 Oct 2026 in ' +
  'favour of agent tests). ' +
  'Create and run tests for this agent in the ElevenLabs dashboard (Agents > Tests) or through the ' +
  '/v1/convai/agent-testing API instead.';

const input = z
  .object({
    agent_id: agentIdField.describe('The agent to test, e.g. from list_agents or create_agent.'),
    simulated_user_prompt: z
      .string()
      .trim()
      .min(1)
      .max(20_000)
      .describe(
        'Who the simulated user is and what they want, e.g. "You are an impatient customer whose order #123 arrived ' +
          'broken; you want a refund."',
      ),
    simulated_user_first_message: z
      .string()
      .max(2000)
      .optional()
      .describe('What the simulated user says first, if it should open the conversation.'),
    first_message: z.string().max(2000).optional().describe(aliasNote('simulated_user_first_message')),
    simulated_user_language: agentLanguageField
      .optional()
      .describe("Language the simulated user speaks, e.g. en or de. Default: ElevenLabs' (en)."),
    simulated_user_llm: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.@_-]{0,99}$/i, 'must be an LLM name such as gpt-4o-mini')
      .optional()
      .describe("LLM that plays the simulated user, e.g. gpt-4o-mini. Default: ElevenLabs'."),
    new_turns_limit: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "Most turns to simulate. Default: ElevenLabs' own limit; a small number keeps the call short and cheap.",
      ),
    max_turns: z.number().int().min(1).max(100).optional().describe(aliasNote('new_turns_limit')),
    extra_evaluation_criteria: z
      .array(
        z
          .object({
            id: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -')
              .describe('Short id for the criterion, e.g. offered_refund.'),
            name: z.string().trim().min(1).max(200).describe('Readable name.'),
            conversation_goal_prompt: z
              .string()
              .trim()
              .min(1)
              .max(2000)
              .describe('What the agent must achieve, e.g. "The agent offers a refund or a replacement."'),
            use_knowledge_base: z
              .boolean()
              .optional()
              .describe("Whether the evaluator may consult the agent's knowledge base when judging. Default false."),
          })
          .strict(),
      )
      .max(10)
      .optional()
      .describe("Extra success criteria to evaluate the conversation against, besides the agent's own."),
    max_characters: transcriptCharactersField.describe(
      'Most characters of transcript text to return (default 20000). The simulation is not stored, so what does not ' +
        'fit is not returned: raise it for long simulations.',
    ),
  })
  .strict();

const output = z.object({
  agent_id: z.string(),
  message_count: z.number().int().describe('Messages in the whole simulated conversation.'),
  messages: z.array(transcriptMessageShape).describe('The simulated conversation, as far as max_characters allowed.'),
  truncated: z.boolean().describe('Whether messages stop before the end of the conversation.'),
  call_successful: z.string().describe('success, failure or unknown.'),
  summary: z.string(),
  summary_title: z.string().nullable(),
  evaluation: z
    .array(z.object({ criteria_id: z.string(), result: z.string(), rationale: z.string() }))
    .describe('One result per evaluation criterion.'),
  data_collection: z
    .array(z.object({ id: z.string(), value: z.unknown(), rationale: z.string() }))
    .describe("Values the agent's data collection extracted."),
});

export default defineTool({
  title: 'Simulate a conversation with an agent',
  description:
    'Test an agent: ElevenLabs runs a text conversation with an LLM-played user (simulated_user_prompt) and ' +
    'evaluates it; returns the transcript (up to max_characters) ' +
    'and analysis (outcome, summary, criteria). Can take a minute or more; new_turns_limit keeps it short. ' +
    'Deprecated by ElevenLabs (removal: 31 Oct 2026); if gone, the tool says so. ' +
    COST_NOTE +
    ' Both LLMs are billed as LLM usage; no audio.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const firstMessage = fromAlias(args, 'simulated_user_first_message', 'first_message');
    const turnsLimit = fromAlias(args, 'new_turns_limit', 'max_turns');
    const request: ElevenLabs.conversationalAi.BodySimulatesAConversationV1ConvaiAgentsAgentIdSimulateConversationPost =
      compact({
        simulationSpecification: {
          simulatedUserConfig: compact({
            firstMessage: firstMessage || undefined,
            language: args.simulated_user_language,
            prompt: compact({
              prompt: args.simulated_user_prompt,
              llm: args.simulated_user_llm as ElevenLabs.Llm | undefined,
            }),
          }),
        },
        extraEvaluationCriteria: args.extra_evaluation_criteria?.map((c) =>
          compact({
            id: c.id,
            name: c.name,
            conversationGoalPrompt: c.conversation_goal_prompt,
            useKnowledgeBase: c.use_knowledge_base,
          }),
        ),
        newTurnsLimit: turnsLimit,
      });
    const result = await ctx.elevenlabs(
      (client) =>
        client.conversationalAi.agents.simulateConversation(args.agent_id, request).catch((error: unknown) => {
          throw (
            retiredEndpoint(error) ??
            asRefusedValue(error, [
              [
                /-> llm:/,
                `simulated_user_llm "${args.simulated_user_llm}" is not an LLM ElevenLabs offers; try gpt-4o-mini or ` +
                  `gemini-2.5-flash.`,
              ],
            ])
          );
        }),
      { notFound: `Agent ${args.agent_id}` },
    );

    const transcript = result.simulatedConversation;
    const page = pageTranscript(transcript, {
      offset: 0,
      maxMessages: transcript.length,
      maxCharacters: args.max_characters,
    });
    const analysis = result.analysis;
    const evaluation = Object.values(analysis.evaluationCriteriaResults ?? {}).map((r) => ({
      criteria_id: r.criteriaId,
      result: r.result,
      rationale: r.rationale,
    }));
    const dataCollection = Object.values(analysis.dataCollectionResults ?? {}).map((r) => ({
      id: r.dataCollectionId,
      value: r.value ?? null,
      rationale: r.rationale,
    }));
    const truncated = page.nextOffset !== null;
    const lines = [
      `Simulated conversation with agent ${args.agent_id}: ${transcript.length} messages, outcome ` +
        `${analysis.callSuccessful}.`,
      `Summary${analysis.callSummaryTitle ? ` (${analysis.callSummaryTitle})` : ''}: ${analysis.transcriptSummary}`,
      ...evaluation.map((e) => `Criterion ${e.criteria_id}: ${e.result}: ${e.rationale}`),
      ...dataCollection.map((d) => `Collected ${d.id}: ${JSON.stringify(d.value)}`),
      'Transcript:',
      ...page.lines,
      truncated
        ? `(${transcript.length - page.messages.length} later messages not shown: raise max_characters to see them; ` +
          `the simulation itself is not stored.)`
        : undefined,
    ];
    return dataResult(lines.filter((line) => line !== undefined).join('\n'), {
      agent_id: args.agent_id,
      message_count: transcript.length,
      messages: page.messages,
      truncated,
      call_successful: analysis.callSuccessful,
      summary: analysis.transcriptSummary,
      summary_title: analysis.callSummaryTitle ?? null,
      evaluation,
      data_collection: dataCollection,
    });
  },
});

/**
 * A removed endpoint answers 410, or FastAPI's bare 404 `{"detail":"Not Found"}`; a missing agent
 * answers 404 with a detail that names it, which the usual mapping reports.
 */
function retiredEndpoint(error: unknown): NotFoundError | undefined {
  const { statusCode, body } = (error ?? {}) as { statusCode?: unknown; body?: unknown };
  if (statusCode === 410) return new NotFoundError(RETIRED, 410);
  if (statusCode !== 404) return undefined;
  const { code, message } = readUpstreamDetail(body);
  return code === undefined && message === 'Not Found' ? new NotFoundError(RETIRED, 404) : undefined;
}
