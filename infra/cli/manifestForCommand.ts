/** The manifest a deploy command works from: compiled first when specs/ is newer; problems printed, not thrown. */
import type { CommandIO } from '../../compiler/cli/command.ts';
import type { Manifest } from '../../compiler/manifest.ts';
import { ensureManifest, readManifest } from '../manifestSource.ts';

export async function manifestForCommand(io: CommandIO): Promise<{ manifestPath: string; manifest: Manifest } | undefined> {
  const manifestPath = await ensureManifest(io.cwd).catch((error: Error) => {
    io.stderr(error.message);
    return undefined;
  });
  return manifestPath ? { manifestPath, manifest: await readManifest(manifestPath) } : undefined;
}
