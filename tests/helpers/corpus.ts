// The shared corpus, staged for checking: each case is copied to a temporary folder where ASL files sit
// where the template's DefinitionUri/DefinitionS3Location expects them (the corpus keeps files flat).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

export interface CorpusCase {
  name: string;
  /** Staged folder; run the CLI with this as the working directory. */
  dir: string;
  templates: string[];
  definitions: string[];
}

const TEMPLATE = /(^template\.ya?ml$|^main\.yml$|\.template\.json$)/;
const DEFINITION = /(\.asl\.(json|ya?ml)$|^statemachine\.asl|^workflow\.asl|^event_emitter\.yaml$)/;

export function corpusCases(corpus = CORPUS): CorpusCase[] {
  if (!existsSync(corpus)) return [];
  const root = mkdtempSync(join(tmpdir(), 'dmap-guard-corpus-'));
  return readdirSync(corpus)
    .filter((name) => statSync(join(corpus, name)).isDirectory())
    .sort()
    .map((name) => {
      const source = join(corpus, name);
      const dir = join(root, name);
      mkdirSync(dir);
      const files = readdirSync(source).filter((f) => f !== 'SOURCE.md');
      for (const file of files) copyFileSync(join(source, file), join(dir, file));
      const templates = files.filter((f) => TEMPLATE.test(f));
      for (const template of templates) {
        const text = readFileSync(join(dir, template), 'utf8');
        for (const match of text.matchAll(/(?:DefinitionUri|DefinitionS3Location)"?\s*:\s*"?([^\s"'\n]+)/g)) {
          const wanted = match[1] as string;
          const base = wanted.split('/').pop() as string;
          if (wanted.includes('/') && files.includes(base) && !existsSync(join(dir, wanted))) {
            mkdirSync(dirname(join(dir, wanted)), { recursive: true });
            copyFileSync(join(dir, base), join(dir, wanted));
          }
        }
      }
      return { name, dir, templates, definitions: files.filter((f) => DEFINITION.test(f) && !templates.includes(f)) };
    });
}
