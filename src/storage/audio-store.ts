/**
 * The names this module had before storage was split up (it stores every kind of file, not only audio).
 * Kept so that src/tools compiles unchanged while it moves; new code imports from file-store.js.
 */
import { createFileStore, isFileId, type FilePage, type FileStore, type FileStoreOptions, type SignedFile } from './file-store.js';

export * from './file-store.js';

/** @deprecated FileStore. */
export type AudioStore = FileStore;
/** @deprecated FileStoreOptions. */
export type AudioStoreOptions = FileStoreOptions;
/** @deprecated SignedFile. */
export type SignedAudio = SignedFile;
/** @deprecated FilePage. */
export type AudioPage = FilePage;
/** @deprecated createFileStore. */
export const createAudioStore: (options: FileStoreOptions) => FileStore = createFileStore;
/** @deprecated isFileId. */
export const isAudioId: (value: string) => boolean = isFileId;
