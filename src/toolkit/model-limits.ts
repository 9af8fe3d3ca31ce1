import type { ModelInfo } from '../elevenlabs/models.js';
import { InvalidArgumentsError, NotFoundError, PermissionDeniedError } from '../errors/index.js';
import type { ToolContext } from './define-tool.js';

export interface TextFitWording {
  /** What is measured, for the message: "The text", "The dialogue's text". */
  readonly subject: string;
  /** How to continue across parts, e.g. "(pass previous_text/next_text for continuity)". */
  readonly splitHint: string;
}

/**
 * Refuses text over the model's per-request limit, read from /v1/models (cached per caller), before
 * anything is billed. A key restricted from reading models skips the check: ElevenLabs enforces it too.
 */
export async function checkTextFitsModel(
  text: string,
  modelId: string,
  ctx: ToolContext,
  wording: TextFitWording,
): Promise<void> {
  let models: readonly ModelInfo[];
  try {
    models = await ctx.models();
  } catch (error) {
    if (error instanceof PermissionDeniedError || error instanceof NotFoundError) return;
    throw error;
  }
  const model = models.find((m) => m.modelId === modelId);
  if (!model) {
    const speaking = models.filter((m) => m.canDoTextToSpeech).map((m) => m.modelId);
    throw new InvalidArgumentsError(
      `Unknown model_id "${modelId}". Models that can speak for this account: ` +
        `${speaking.join(', ') || 'none listed'} (list_models has details).`,
    );
  }
  if (!model.canDoTextToSpeech) {
    throw new InvalidArgumentsError(`Model ${modelId} cannot do text to speech. Pick one that can with list_models.`);
  }
  const length = [...text].length;
  if (model.maxCharacters !== undefined && length > model.maxCharacters) {
    const roomier = models
      .filter((m) => m.canDoTextToSpeech && (m.maxCharacters ?? 0) >= length)
      .map((m) => `${m.modelId} (${m.maxCharacters})`);
    throw new InvalidArgumentsError(
      `${wording.subject} is ${length} characters; ${modelId} accepts at most ${model.maxCharacters} per request. ` +
        `Nothing was billed. ` +
        `Split it into parts of at most ${model.maxCharacters} characters ${wording.splitHint}` +
        (roomier.length ? `, or use a model with a higher limit: ${roomier.join(', ')}.` : '.'),
    );
  }
}
