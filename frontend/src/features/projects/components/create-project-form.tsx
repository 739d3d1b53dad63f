import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { useCreateProject } from '@/features/projects/api/create-project';
import { SLUG_PATTERN, slugFromName } from '@/features/projects/utils/slug';
import type { Project } from '@/types/api';

export function CreateProjectForm({ onCreated }: { onCreated?: (project: Project) => void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState('');
  const mutation = useCreateProject({
    onSuccess: (p) => {
      setName('');
      setSlug('');
      setSlugEdited(false);
      setDescription('');
      onCreated?.(p);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate({ slug, name: name.trim(), description: description.trim() || undefined });
  };

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-labelledby="create-project-title"
      data-testid="create-project-form"
    >
      <h2 id="create-project-title">New project</h2>
      <label htmlFor="project-name">Name</label>
      <input
        id="project-name"
        required
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugEdited) setSlug(slugFromName(e.target.value));
        }}
      />
      <label htmlFor="project-slug">Slug</label>
      <input
        id="project-slug"
        required
        pattern={SLUG_PATTERN}
        aria-describedby="project-slug-help"
        value={slug}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value);
        }}
      />
      <small id="project-slug-help">
        Lowercase letters, digits and dashes, 2–63 characters. Used in URLs and by the SDK.
      </small>
      <label htmlFor="project-description">Description (optional)</label>
      <textarea
        id="project-description"
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      {mutation.isError && <ErrorMessage error={mutation.error} />}
      <button
        type="submit"
        className="btn btn-primary"
        disabled={mutation.isPending}
        data-testid="create-project-submit"
      >
        {mutation.isPending ? 'Creating…' : 'Create project'}
      </button>
    </form>
  );
}
