import { z } from 'zod';

/**
 * Input fields several tools share. Identifiers are checked strictly before anything goes upstream: a
 * value with a slash, a dot or a query string can only be a mistake or an attempt to reach another path.
 */

export const voiceIdField = z
  .string()
  .regex(/^[A-Za-z0-9]{1,64}$/, 'must be an ElevenLabs voice id: letters and digits only, e.g. JBFqnCBsd6RMkjVDRZzb');

export const modelIdField = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be an ElevenLabs model id such as eleven_multilingual_v2 (see list_models)');

export const languageCodeField = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, 'must be an ISO 639-1 language code such as en, de or ja');

export const voiceNameField = z.string().trim().min(1).max(100);
