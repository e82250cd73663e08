// npm run bench: prints every performance figure in one run. Goals are printed beside the figures; nothing here fails a build.
import { benchAudit } from './audit';
import { benchCheck } from './check';
import { benchEvaluator } from './evaluator';
import { benchGlob } from './glob';
import { benchHook } from './hook';
import { benchLimits } from './limits';
import { benchSharedRole } from './shared-role';

const sections: Array<[string, () => Array<[string, string]> | Promise<Array<[string, string]>>]> = [
  ['IAM evaluator', benchEvaluator],
  ['Adversarial wildcard matching', benchGlob],
  ['Template check beside cfn-lint', benchCheck],
  ['Many state machines on one role', benchSharedRole],
  ['Lambda Hook', benchHook],
  ['audit at account scale (moto_server)', benchAudit],
  ['Limits: huge inputs, arbitrary events', benchLimits],
];

// `npm run bench -- cfn-lint hook` runs the sections whose titles contain any of the words given.
const wanted = process.argv.slice(2).map((word) => word.toLowerCase());

async function run(): Promise<void> {
  for (const [title, section] of sections) {
    if (wanted.length > 0 && !wanted.some((word) => title.toLowerCase().includes(word))) continue;
    console.log(`\n## ${title}`);
    for (const [name, figure] of await section()) console.log(`${name.padEnd(48)} ${figure}`);
  }
}

void run();
