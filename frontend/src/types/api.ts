// Payload types of the Stepwise HTTP API v1 (shared/API.md), taken from the service's OpenAPI
// document: `api.gen.ts` is generated from `frontend/openapi.json` by `npm run generate:api`.
//
// The document lists every field of a response (the generator treats them as present) but does not
// say which ones may be null, that metric values may be the strings 'NaN'/'Infinity'/'-Infinity',
// or what a JSON config value is. `Refine` and `Nullable` add exactly that here; both accept only
// field names the document has, so a renamed or removed field fails `tsc`.
import type { components, paths } from '@/types/api.gen';

type Schemas = components['schemas'];

/** `T` with the fields of `R` retyped; `R` may name only fields of `T`. */
type Refine<T, R extends { [K in keyof R]: K extends keyof T ? unknown : never }> = Omit<T, keyof R> & R;

/** `T` whose fields `K` may be null. */
type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };

/** Query parameters of a GET operation. */
type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/** Fails to compile unless every key of `T` is a query parameter of `Q`. */
type OnlyKeysOf<Q, T extends { [K in keyof T]: K extends keyof Q ? unknown : never }> = T;

/** Metric values are JSON numbers; non-finite values travel as these strings. */
export type NonFiniteValue = 'NaN' | 'Infinity' | '-Infinity';
export type MetricValue = number | NonFiniteValue;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** RFC 9457 problem details (error responses are not part of the OpenAPI document). */
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
export type LoginRequest = Schemas['LoginRequest'];
/** `GET /me` answers either a user or an API key; the other fields are left out. */
export type UserPrincipal = Pick<Schemas['MeResponse'], 'username' | 'admin'>;
export type ApiKeyPrincipal = Pick<Schemas['MeResponse'], 'apiKey'>;
export type Me = UserPrincipal | ApiKeyPrincipal;
export type CsrfToken = Pick<Schemas['CsrfResponse'], 'headerName' | 'token'>;

// --- projects ---
export type ProjectRole = Schemas['Member']['role'];
export type Project = Nullable<Schemas['ProjectResponse'], 'description' | 'role'>;
export type ProjectList = Refine<Schemas['ProjectList'], { projects: Project[] }>;
export type CreateProjectRequest = Schemas['CreateProjectRequest'];

export type Member = Schemas['Member'];
export type MemberList = Schemas['MemberList'];
export type PutMemberRequest = Schemas['PutMemberRequest'];

export type ApiKeyScope = Schemas['KeyInfo']['scope'];
export type ApiKey = Nullable<Schemas['KeyInfo'], 'expiresAt' | 'lastUsedAt'>;
export type ApiKeyList = Refine<Schemas['KeyList'], { apiKeys: ApiKey[] }>;
export type CreateApiKeyRequest = Schemas['CreateKeyRequest'];
/** Only the creation response carries the secret `key`. */
export type CreatedApiKey = Nullable<Schemas['CreatedKeyResponse'], 'expiresAt'>;

// --- runs ---
export type RunStatus = Schemas['RunResponse']['status'];
export const RUN_STATUSES: RunStatus[] = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'CRASHED'];

/** `/summary` keeps snake_case `first_step`/`last_step` on purpose (API.md). */
export type SummaryStats = Refine<
  Schemas['SummaryView'],
  {
    min: MetricValue | null;
    max: MetricValue | null;
    mean: MetricValue | null;
    std: MetricValue | null;
    last: MetricValue | null;
  }
>;
export type RunSummary = Record<string, SummaryStats>;
export const SUMMARY_STATS = ['min', 'max', 'mean', 'last', 'n'] as const;
export type SummaryStatName = (typeof SUMMARY_STATS)[number];

export type Run = Refine<
  Nullable<Schemas['RunResponse'], 'name' | 'group' | 'notes' | 'startedAt' | 'endedAt' | 'heartbeatAt' | 'createdBy'>,
  {
    config: Record<string, JsonValue>;
    /** Present on `GET /runs/{id}`; on list items only with `summaryKey` (used for summary columns). */
    summary?: RunSummary;
  }
>;
export type RunList = Refine<Schemas['RunList'], { runs: Run[]; nextCursor: string | null }>;

/** What the runs table asks `GET /runs` for (the UI's '' status means any). */
export type RunListQuery = OnlyKeysOf<
  QueryOf<'/api/v1/projects/{slug}/runs'>,
  {
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
  }
>;

// --- metrics ---
export type MetricKeyStats = Refine<
  Schemas['MetricSummary'],
  {
    min: MetricValue | null;
    max: MetricValue | null;
    mean: MetricValue | null;
    std: MetricValue | null;
    last: MetricValue | null;
  }
>;
export type MetricKeyList = Refine<Schemas['MetricList'], { metrics: MetricKeyStats[] }>;

export type SeriesX = 'step' | 'epoch' | 'time';
export type Series = Refine<
  Schemas['SeriesResponse'],
  {
    x: SeriesX;
    points: Refine<Schemas['SeriesPoints'], { y: MetricValue[]; yMin: MetricValue[]; yMax: MetricValue[] }>;
  }
>;
export type SeriesQuery = OnlyKeysOf<
  QueryOf<'/api/v1/projects/{slug}/runs/{id}/series'>,
  { key: string; x: SeriesX; maxPoints?: number; from?: number; to?: number }
>;

export type EpochReduction = Schemas['EpochValue']['reduction'];
export type EpochSummary = Refine<Schemas['EpochValue'], { value: MetricValue | null }>;
export type EpochSummaryList = Refine<Schemas['EpochList'], { epochs: EpochSummary[] }>;

// --- artifacts ---
export type Artifact = Nullable<Schemas['ArtifactRecord'], 'description' | 'sizeBytes' | 'sha256'>;
export type ArtifactList = Refine<Schemas['ArtifactList'], { artifacts: Artifact[] }>;
