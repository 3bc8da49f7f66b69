/**
 * What diagnose produces: diagnoses (signature matches), predictions from inspect facts, unknown failures, explain.
 */

import type { Artifact } from './inspect.js';
import type { Trap } from './runtime.js';

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface Workaround {
  text: string;
  safe: boolean;
  /** Why it is (un)safe / when it applies. */
  why?: string;
}

export interface Link {
  title: string;
  url: string;
}

export interface Diagnosis {
  signatureId: string;
  title: string;
  confidence: Confidence;
  /** Ranking score (higher = more specific match). */
  score: number;
  cause: string;
  /** Evidence lines, rendered from the signature's template with the facts that matched. */
  evidence: string[];
  workarounds: Workaround[];
  links: Link[];
  /** 'note' = an expected, documented difference (e.g. exit-code collapse), not a breakage. Absent = 'failure'. */
  severity?: 'failure' | 'note';
}

/** A failure predicted from inspect facts alone, before anything runs. */
export interface Prediction {
  signatureId: string;
  title: string;
  message: string;
  /** true = the run confirmed it, false = the stage it is about ran and did not fail that way, null = not reached. */
  confirmed: boolean | null;
  /**
   * The same, said in words: 'confirmed'; 'contradicted' (the stage it is about ran and did not fail that way);
   * 'not-reached' (that stage did not run, or stopped at an earlier problem, so the run cannot tell).
   */
  outcome: 'confirmed' | 'contradicted' | 'not-reached';
  /** The stage the prediction is about: 'convert' (the encoder) or 'run' (the P2 run). */
  stage: 'convert' | 'run';
  /** Why it is not reached / contradicted, e.g. 'conversion stopped at an earlier problem: …'. */
  reason?: string;
}

export interface UnknownFailure {
  /** Stable hash of the normalised top frames + message. */
  fingerprint: string;
  summary: string;
  evidence: string[];
  /** Prefilled link to propose a new signature. */
  proposeUrl: string;
}

/**
 * What `explain` found in a log (or pasted text): the trap parsed from it, the module when one was given, and the
 * diagnoses. Rendered by report/ like a Report: terminal, Markdown, and JSON (`schemaVersion` first).
 */
export interface ExplainResult {
  schemaVersion: number;
  trap?: Trap;
  artifact?: Artifact;
  diagnoses: Diagnosis[];
  unknown?: UnknownFailure;
}
