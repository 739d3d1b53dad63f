// Payload types of the Stepwise HTTP API v1 (shared/API.md). Keep field names exactly as the API.

/** Metric values are JSON numbers; non-finite values travel as these strings. */
export type NonFiniteValue = 'NaN' | 'Infinity' | '-Infinity';
export type MetricValue = number | NonFiniteValue;

/** RFC 9457 problem details. */
export type FieldError = { field: string; message: string };
export type ProblemDetail = {
  type?: string;
  status: number;
  title: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
};

// --- auth ---
export type LoginRequest = { username: string; password: string };
export type UserPrincipal = { username: string; admin: boolean };
export type ApiKeyPrincipal = { apiKey: { project: string; scope: ApiKeyScope } };
export type Me = UserPrincipal | ApiKeyPrincipal;
export type CsrfToken = { headerName: string; token: string };

// --- projects ---
export type ProjectRole = 'OWNER' | 'WRITER' | 'READER';
export type Project = {
  slug: string;
  name: string;
  description: string | null;
  role: ProjectRole | null;
  runCount: number;
  createdAt: string;
};
export type ProjectList = { projects: Project[] };
export type CreateProjectRequest = { slug: string; name: string; description?: string };

export type Member = { username: string; role: ProjectRole };
export type MemberList = { members: Member[] };
export type PutMemberRequest = { role: ProjectRole };

export type ApiKeyScope = 'read' | 'write';
export type ApiKey = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revoked: boolean;
};
export type ApiKeyList = { apiKeys: ApiKey[] };
export type CreateApiKeyRequest = { name: string; scope: ApiKeyScope; expiresAt?: string };
/** Only the creation response carries the secret `key`. */
export type CreatedApiKey = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  key: string;
  createdAt: string;
  expiresAt: string | null;
};

// --- runs ---
export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'CRASHED';
export const RUN_STATUSES: RunStatus[] = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'CRASHED'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `/summary` keeps snake_case `first_step`/`last_step` on purpose (API.md). */
export type SummaryStats = {
  min: MetricValue | null;
  max: MetricValue | null;
  mean: MetricValue | null;
  std: MetricValue | null;
  last: MetricValue | null;
  n: number;
  first_step: number;
  last_step: number;
};
export type RunSummary = Record<string, SummaryStats>;
export const SUMMARY_STATS = ['min', 'max', 'mean', 'last', 'n'] as const;
export type SummaryStatName = (typeof SUMMARY_STATS)[number];

export type Run = {
  id: string;
  project: string;
  name: string | null;
  group: string | null;
  tags: string[];
  config: Record<string, JsonValue>;
  notes: string | null;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  heartbeatAt: string | null;
  createdBy: string | null;
  /** Present on `GET /runs/{id}`; optional on list items (used for summary columns when present). */
  summary?: RunSummary;
};
export type RunList = { runs: Run[]; nextCursor: string | null };

export type RunListQuery = {
  status?: RunStatus | '';
  group?: string;
  tag?: string[];
  q?: string;
  filter?: string[];
  sort?: string;
  limit?: number;
  cursor?: string | null;
  /** Service extension: adds these metric keys' summaries (or `*` for all) to each listed run. */
  summaryKey?: string[];
};

// --- metrics ---
export type MetricKeyStats = {
  key: string;
  n: number;
  min: MetricValue | null;
  max: MetricValue | null;
  mean: MetricValue | null;
  std: MetricValue | null;
  last: MetricValue | null;
  firstStep: number;
  lastStep: number;
  nonFinite: number;
};
export type MetricKeyList = { metrics: MetricKeyStats[] };

export type SeriesX = 'step' | 'epoch' | 'time';
export type Series = {
  key: string;
  x: SeriesX;
  total: number;
  downsampled: boolean;
  points: {
    x: number[];
    y: MetricValue[];
    yMin: MetricValue[];
    yMax: MetricValue[];
  };
};
export type SeriesQuery = {
  key: string;
  x: SeriesX;
  maxPoints?: number;
  from?: number;
  to?: number;
};

export type EpochReduction = 'mean' | 'last' | 'median' | 'max' | 'min' | 'sum';
export type EpochSummary = {
  key: string;
  epoch: number;
  value: MetricValue | null;
  reduction: EpochReduction;
  n: number;
};
export type EpochSummaryList = { epochs: EpochSummary[] };

// --- artifacts ---
export type Artifact = {
  id: string;
  name: string;
  uri: string;
  kind: string;
  description: string | null;
  sizeBytes?: number | null;
  sha256?: string | null;
  createdAt: string;
};
export type ArtifactList = { artifacts: Artifact[] };
