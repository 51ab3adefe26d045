import { randomUUID } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replace `file` so that a crash leaves either the old or the new content: temp file, fsync, rename,
 * directory fsync. Shared by FileStore and the file workflow store.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(dirname(file));
}

/** Append `text` and fsync before returning, so an appended line survives a crash once this resolves. */
export async function appendFileDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDirectory(directory: string): Promise<void> {
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; renames are still atomic there.
  } finally {
    await dir.close();
  }
}
