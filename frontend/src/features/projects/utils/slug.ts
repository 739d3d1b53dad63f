/** Suggests a project slug (`^[a-z0-9][a-z0-9-]{1,62}$`) from a display name. */
export function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9\\-]{1,62}$';
