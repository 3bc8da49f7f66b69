/**
 * The signature schema: the one description of a signature file. Ajv validates YAML against it at load time
 * (with the `re2` and `semverRange` keywords: every regex compiles under RE2, every range parses), the TypeScript
 * types are derived from it (`FromSchema`), and `signature.schema.json` beside it is its JSON rendering for editors
 * (kept equal by a test).
 */
import type { FromSchema } from 'json-schema-to-ts';
import { ADAPTER_CHECK_CATEGORIES } from './adapter-lines/index.js';
import { CONFIDENCES, FRAME_ORIGINS, TRAP_KINDS, VERDICTS } from '../model.js';

export const signatureSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/wasm-p2-check/wasm-p2-check/src/diagnose/signature.schema.json',
  title: 'wasm-p2-check failure signature',
  description:
    'One known way a WASI Preview 1 module fails (or behaves differently) after conversion to a Preview 2 component. ' +
    'Regexes are RE2 regular expressions (linear time on any input), matched case-insensitively and multi-line.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'cause', 'matchers', 'evidence', 'confidence', 'workarounds', 'links', 'fixtures'],
  properties: {
    $schema: {
      type: 'string',
    },
    id: {
      type: 'string',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      description: 'Stable id, kebab-case; also the file name (id.yaml).',
    },
    title: {
      type: 'string',
      minLength: 3,
    },
    cause: {
      type: 'string',
      minLength: 20,
      description: 'One paragraph: why it happens.',
    },
    severity: {
      enum: ['failure', 'note'],
      default: 'failure',
      description: 'note = an expected, documented difference rather than a breakage.',
    },
    confidence: {
      $ref: '#/$defs/confidence',
      description: 'Confidence when every key condition was evaluated and held.',
    },
    verdicts: {
      type: 'array',
      items: {
        $ref: '#/$defs/verdict',
      },
      minItems: 1,
      uniqueItems: true,
      description: 'Verdicts this signature applies to. Without it, every verdict but PASS.',
    },
    keyEvidence: {
      type: 'array',
      items: {
        $ref: '#/$defs/matcherKey',
      },
      uniqueItems: true,
      description:
        'Conditions whose absence (no data to check them) lowers confidence. Default: ' +
        'every observation/fact condition present in matchers (not verdict, p1, p2, diff).',
    },
    matchers: {
      $ref: '#/$defs/matchers',
    },
    supporting: {
      $ref: '#/$defs/matchers',
      description:
        'Conditions that add to the score when they hold and never reject a match; when none holds, confidence is one step lower.',
    },
    evidence: {
      type: 'array',
      items: {
        type: 'string',
      },
      minItems: 1,
      description:
        'Evidence lines; {placeholders} are filled from what was observed and matched. ' +
        'Every placeholder must be one the engine can fill for this signature (checked when the signature is loaded); ' +
        'a line whose placeholder has no value in a given run is left out.',
    },
    workarounds: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'safe', 'why'],
        properties: {
          text: {
            type: 'string',
          },
          safe: {
            type: 'boolean',
          },
          why: {
            type: 'string',
          },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'url'],
        properties: {
          title: {
            type: 'string',
          },
          url: {
            type: 'string',
            pattern: '^https://',
          },
        },
      },
    },
    fixtures: {
      type: 'array',
      items: {
        type: 'string',
      },
      minItems: 1,
      description: 'Fixtures (paths under test/fixtures/) that really produce this signature.',
    },
    predict: {
      type: 'string',
      description:
        'Message shown before anything runs when matchers.facts hold on the inspected module; ' +
        'placeholders as in evidence (checked when loaded).',
    },
    notes: {
      type: 'string',
      description: "Maintainers' notes (observed behaviour per runtime, provenance).",
    },
  },
  $defs: {
    confidence: {
      enum: CONFIDENCES,
    },
    verdict: {
      enum: VERDICTS,
    },
    matcherKey: {
      enum: [
        'message',
        'trapKind',
        'frames',
        'framesAnywhere',
        'adapterLine',
        'facts',
        'conversion',
        'verdict',
        'p1',
        'p2',
        'diff',
        'hostWorld',
      ],
    },
    regex: {
      type: 'string',
      minLength: 1,
      re2: true,
      description:
        'An RE2 regular expression (linear-time matching on untrusted text: ' +
        'no lookaround, no backreferences), matched case-insensitively and multi-line.',
    },
    regexList: {
      type: 'array',
      items: {
        $ref: '#/$defs/regex',
      },
      minItems: 1,
    },
    origin: {
      enum: FRAME_ORIGINS,
    },
    frame: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          $ref: '#/$defs/regex',
          description: 'Regex over the demangled name (no hash).',
        },
        origin: {
          oneOf: [
            {
              $ref: '#/$defs/origin',
            },
            {
              type: 'array',
              items: {
                $ref: '#/$defs/origin',
              },
              minItems: 1,
            },
          ],
        },
        module: {
          $ref: '#/$defs/regex',
        },
        as: {
          type: 'string',
          pattern: '^[a-z][A-Za-z0-9]*$',
          description: 'Name of this pattern: evidence templates show the matched frame as {frame.NAME}.',
        },
      },
    },
    run: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        exitCode: {
          oneOf: [
            {
              type: 'integer',
            },
            {
              type: 'array',
              items: {
                type: 'integer',
              },
              minItems: 1,
            },
            {
              enum: ['zero', 'nonzero', 'none'],
            },
          ],
          description: 'none = no exit code (trapped, killed)',
        },
        trapped: {
          type: 'boolean',
        },
        timedOut: {
          type: 'boolean',
        },
        runtime: {
          $ref: '#/$defs/regex',
          description: "Regex over the run's host, `name version` (e.g. `node:wasi node 20.20.2`).",
        },
        stdout: {
          $ref: '#/$defs/textPatternList',
        },
        stderr: {
          $ref: '#/$defs/textPatternList',
        },
      },
    },
    matchers: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        message: {
          $ref: '#/$defs/textPatternList',
          description: "Any regex matches the trap message/causes, the failing run's stderr, or the pasted log.",
        },
        hostWorld: {
          type: 'boolean',
          description:
            "A link error names an interface the host did not provide: true = the host's world has no such interface " +
            '(e.g. `wasmtime serve` and wasi:cli/environment), false = not that (the host links it: the version differs; ' +
            'or no such link error). Unknown when the log does not say which host ran it (diagnose/host-world.ts).',
        },
        trapKind: {
          type: 'array',
          items: {
            enum: TRAP_KINDS,
          },
          minItems: 1,
          uniqueItems: true,
        },
        frames: {
          type: 'array',
          items: {
            $ref: '#/$defs/frame',
          },
          minItems: 1,
          description: 'Ordered subsequence, innermost first.',
        },
        framesAnywhere: {
          type: 'array',
          items: {
            $ref: '#/$defs/frame',
          },
          minItems: 1,
          description: 'Each must appear somewhere in the backtrace.',
        },
        adapterLine: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            category: {
              oneOf: [
                {
                  enum: ADAPTER_CHECK_CATEGORIES,
                },
                {
                  type: 'array',
                  items: {
                    enum: ADAPTER_CHECK_CATEGORIES,
                  },
                  minItems: 1,
                  uniqueItems: true,
                },
              ],
              description: 'Category of the check at that line in the adapter line table.',
            },
            check: {
              $ref: '#/$defs/regex',
              description: "Regex over the check's description (e.g. 'State::with magic1 canary').",
            },
            kind: {
              enum: ['assertion', 'unreachable'],
            },
            fn: {
              $ref: '#/$defs/regex',
              description: 'Regex over the adapter function that holds the line (e.g. sock_recv, State::with).',
            },
          },
        },
        facts: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            toolchain: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                language: {
                  $ref: '#/$defs/regex',
                },
                version: {
                  $ref: '#/$defs/semverRange',
                },
              },
            },
            imports: {
              type: 'array',
              minItems: 1,
              items: {
                $ref: '#/$defs/importPattern',
              },
              description: 'At least one import matches one entry.',
            },
            noImports: {
              type: 'array',
              minItems: 1,
              items: {
                $ref: '#/$defs/importPattern',
              },
              description: 'No import matches any entry.',
            },
            exports: {
              $ref: '#/$defs/regexList',
              description: 'At least one export name matches.',
            },
            noExports: {
              $ref: '#/$defs/regexList',
              description: 'No export name matches.',
            },
            hasCabiRealloc: {
              type: 'boolean',
            },
            reallocCallsImport: {
              type: 'boolean',
              description: 'The exported cabi_realloc reaches a WASI import through direct calls (static call graph).',
            },
            hasStart: {
              type: 'boolean',
            },
            hasInitialize: {
              type: 'boolean',
            },
            style: {
              enum: ['command', 'reactor'],
            },
            wasiUnstable: {
              type: 'boolean',
            },
            nonWasiImports: {
              type: 'boolean',
              description: 'Imports from modules other than wasi_snapshot_preview1/wasi_unstable.',
            },
            nonWasiImportModule: {
              $ref: '#/$defs/regex',
            },
            host: {
              type: 'array',
              minItems: 1,
              items: {
                enum: ['napi-addon', 'plugin', 'js-bridge', 'shared-library', 'emscripten', 'library'],
              },
              description: "The module is built for one of these specific non-WASI hosts (inspect's host requirement).",
            },
            memory: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                shared: {
                  type: 'boolean',
                },
                memory64: {
                  type: 'boolean',
                },
                imported: {
                  type: 'boolean',
                },
                exported: {
                  type: 'boolean',
                },
                multiple: {
                  type: 'boolean',
                },
              },
            },
            features: {
              type: 'array',
              items: {
                type: 'string',
              },
              minItems: 1,
              description: 'Any of these wasm features is used.',
            },
          },
        },
        conversion: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            error: {
              $ref: '#/$defs/textPatternList',
              description: 'Any regex matches the conversion error (or the pasted log).',
            },
            adapter: {
              enum: ['present', 'absent'],
            },
            adapterKind: {
              enum: ['command', 'reactor'],
            },
            adapterName: {
              $ref: '#/$defs/regex',
            },
            adapterNameNot: {
              $ref: '#/$defs/regex',
            },
            adapterVersion: {
              $ref: '#/$defs/semverRange',
              description: "semver range of the adapter's wasmtime release",
            },
            adapterWasiVersion: {
              $ref: '#/$defs/semverRange',
              description: 'semver range of the WASI version the adapter imports',
            },
            adapterSha256: {
              type: 'array',
              items: {
                type: 'string',
                pattern: '^[0-9a-f]{64}$',
              },
              minItems: 1,
              description: 'sha256 of adapter files known to have the problem',
            },
          },
        },
        verdict: {
          type: 'array',
          items: {
            $ref: '#/$defs/verdict',
          },
          minItems: 1,
        },
        p1: {
          $ref: '#/$defs/run',
        },
        p2: {
          $ref: '#/$defs/run',
        },
        diff: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            exitCode: {
              type: 'boolean',
            },
            stdout: {
              type: 'boolean',
            },
            stderr: {
              type: 'boolean',
            },
          },
        },
      },
    },
    importPattern: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        module: {
          $ref: '#/$defs/regex',
        },
        name: {
          $ref: '#/$defs/regex',
        },
      },
    },
    textPattern: {
      oneOf: [
        {
          $ref: '#/$defs/regex',
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['pattern', 'unless'],
          properties: {
            pattern: {
              $ref: '#/$defs/regex',
            },
            unless: {
              type: 'object',
              minProperties: 1,
              propertyNames: {
                pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              },
              additionalProperties: {
                $ref: '#/$defs/regex',
              },
              description:
                'Named group -> regex: a match whose group matches it is skipped and ' +
                'the search goes on (what a negative lookahead would say; RE2 has none).',
            },
          },
        },
      ],
    },
    textPatternList: {
      type: 'array',
      items: {
        $ref: '#/$defs/textPattern',
      },
      minItems: 1,
    },
    semverRange: {
      type: 'string',
      semverRange: true,
    },
  },
} as const;

/** One signature as written in its YAML file: the type is the schema's (one description of a signature). */
export type Signature = FromSchema<typeof signatureSchema>;
export type Matchers = Signature['matchers'];
export type MatcherKey = keyof Matchers;
export type FramePattern = NonNullable<Matchers['frames']>[number];
export type TextPattern = NonNullable<Matchers['message']>[number];
export type FactsPattern = NonNullable<Matchers['facts']>;
export type ImportPattern = NonNullable<FactsPattern['imports']>[number];
export type ConversionPattern = NonNullable<Matchers['conversion']>;
export type RunPattern = NonNullable<Matchers['p1']>;
