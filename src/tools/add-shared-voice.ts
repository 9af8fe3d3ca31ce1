import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { dataResult } from '../toolkit/results.js';
import { voiceIdField, voiceNameField } from '../toolkit/shared-inputs.js';

const input = z
  .object({
    public_owner_id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,128}$/, 'must be a public_owner_id from search_voice_library: letters and digits only')
      .describe("The voice's public_owner_id, from search_voice_library."),
    voice_id: voiceIdField.describe("The voice's voice_id, from search_voice_library."),
    new_name: voiceNameField.describe("Name in the caller's voice list, e.g. its library name."),
  })
  .strict();

const output = z.object({
  voice_id: z.string().describe("Id of the voice in the caller's voices: pass it as voice_id to text_to_speech."),
  name: z.string(),
});

export default defineTool({
  title: 'Add a library voice',
  description:
    "Add a voice from ElevenLabs' shared voice library (found with search_voice_library) to the caller's voices, so " +
    'that text_to_speech can speak with it; returns the voice_id to use. ' +
    "It takes one of the account's voice slots (check_subscription shows them), and a voice with a rate costs that " +
    'multiple of the usual credits when used; only call it when the user asked for it.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    const added = await ctx.elevenlabs(
      (client) => client.voices.share(args.public_owner_id, args.voice_id, { newName: args.new_name }),
      {
        notFound:
          `Library voice ${args.voice_id} of owner ${args.public_owner_id} (search_voice_library lists the ` +
          `voices that can be added)`,
      },
    );
    return dataResult(
      `Added "${args.new_name}" to your voices as voice_id ${added.voiceId}. Use it with text_to_speech.`,
      {
        voice_id: added.voiceId,
        name: args.new_name,
      },
    );
  },
});
