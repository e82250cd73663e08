import { DefinitionError, MAX_NESTING, parseDefinition, readField } from '../../lib/asl/definition';

describe('parseDefinition', () => {
  it.each<[string, unknown, string]>([
    ['not JSON', '{"StartAt": ', '$'],
    ['an array', '[1,2]', '$'],
    ['no StartAt', { States: {} }, '$.StartAt'],
    ['States not an object', { StartAt: 'A', States: [] }, '$.States'],
    ['StartAt not in States', { StartAt: 'B', States: { A: { Type: 'Pass', End: true } } }, '$.StartAt'],
    ['state not an object', { StartAt: 'A', States: { A: 'Pass' } }, '$.States.A'],
    ['state without Type', { StartAt: 'A', States: { A: { End: true } } }, '$.States.A.Type'],
    [
      'bad QueryLanguage',
      { QueryLanguage: 'XPath', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
      '$.QueryLanguage',
    ],
    [
      'Parallel without Branches',
      { StartAt: 'P', States: { P: { Type: 'Parallel', End: true } } },
      '$.States.P.Branches',
    ],
    [
      'branch not an object',
      { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [1], End: true } } },
      '$.States.P.Branches[0]',
    ],
    [
      'Map without a processor',
      { StartAt: 'M', States: { M: { Type: 'Map', End: true } } },
      '$.States.M.ItemProcessor',
    ],
    [
      'nested error keeps the full path',
      {
        StartAt: 'M',
        States: {
          M: { Type: 'Map', ItemProcessor: { StartAt: 'My State', States: { 'My State': { Type: 7 } } }, End: true },
        },
      },
      '$.States.M.ItemProcessor.States["My State"].Type',
    ],
  ])('rejects %s with the JSON path of the problem', (_name, input, path) => {
    expect(() => parseDefinition(input)).toThrow(DefinitionError);
    try {
      parseDefinition(input);
    } catch (error) {
      expect((error as DefinitionError).path).toBe(path);
    }
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    let machine: Record<string, unknown> = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    for (let i = 0; i < MAX_NESTING + 5; i++) {
      machine = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [machine], End: true } } };
    }
    expect(() => parseDefinition(machine)).toThrow(/nested more than/);
  });

  it('walks cyclic Next without looping: states are visited once each', () => {
    const def = parseDefinition({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } },
    });
    expect(def.states.map((s) => s.name)).toEqual(['A', 'B']);
  });

  it('inherits QueryLanguage and lets a state override it', () => {
    const def = parseDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: {
          Type: 'Map',
          QueryLanguage: 'JSONPath',
          ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    expect(def.states.map((s) => [s.name, s.queryLanguage])).toEqual([
      ['A', 'JSONata'],
      ['B', 'JSONPath'],
      ['C', 'JSONPath'],
    ]);
  });

  it('marks states inside a Distributed Map with their map', () => {
    const def = parseDefinition({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'T',
            States: { T: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    });
    expect(def.states[1]?.distributedParent).toBe('$.States.M');
  });
});

describe('readField', () => {
  it.each<[string, unknown, string, unknown]>([
    ['static JSONPath value', { Bucket: 'b' }, 'Bucket', { kind: 'static', value: 'b' }],
    ['JSONPath .$ key', { 'Bucket.$': '$.b' }, 'Bucket', { kind: 'runtime', expression: '$.b', field: 'Bucket.$' }],
    ['JSONata string', { Bucket: '{% $b %}' }, 'Bucket', { kind: 'runtime', expression: '{% $b %}', field: 'Bucket' }],
    ['whole JSONata object', '{% $x %}', 'Key', { kind: 'runtime', expression: '{% $x %}', field: 'Key' }],
    ['absent key', { Bucket: 'b' }, 'Key', undefined],
  ])('%s', (_name, container, key, expected) => {
    expect(readField(container, key)).toEqual(expected);
  });
});
