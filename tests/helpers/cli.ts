// Runs the CLI in-process and captures what it prints.
import { main } from '../../lib/cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => (stdout += t), err: (l) => (stderr += `${l}\n`) });
  return { code, stdout, stderr };
}
