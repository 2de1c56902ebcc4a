export interface ChaosRound {
  round: number;
  uploads: number;
  serverPeak: number;
  openAtRest: number;
  timers: number;
  heap: number;
}
export interface ChaosReport {
  seed: number;
  rounds: ChaosRound[];
  faults: Record<string, {uploads: number; right: number}>;
  expired: {uploads: number; right: number};
  uploads: number;
  right: number;
  wrong: string[];
  completed: number;
  failedByServer: number;
  failedByTransport: number;
  shownFailedButSucceeded: number;
  hostileMarkupRendered: boolean;
  nonFiniteOverall: boolean;
  serverPeak: number;
  clientPeak: number;
  timersBaseline: number;
  heapStart: number;
  heapEnd: number;
  heapGrowth: {objects: number; other: number} | null;
  longestTask: number;
  p95Frame: number;
  minutes: number;
}
export declare const FAULTS: Record<string, (random: () => number) => object>;
export declare function runChaos(options?: {
  rounds?: number;
  uploadsPerRound?: number;
  minMinutes?: number;
  seed?: number;
  log?: (line: string) => void;
  heapSnapshots?: boolean;
  inspect?: (round: number, tools: {page: unknown; cdp: unknown}) => Promise<void>;
}): Promise<ChaosReport>;
export declare function formatReport(report: ChaosReport): string;
