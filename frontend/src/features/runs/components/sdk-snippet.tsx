import { Link } from 'react-router';
import { CopyButton } from '@/components/copy-button';

export function sdkSnippet(baseUrl: string, slug: string): string {
  return `Stepwise stepwise = Stepwise.builder()
    .baseUrl("${baseUrl}")
    .apiKey(System.getenv("STEPWISE_API_KEY"))
    .project("${slug}")
    .build();

try (Run run = stepwise.newRun().name("baseline").config("lr", 0.01).start()) {
    for (int step = 0; step < 100; step++) {
        run.log("train/loss", 0.42, step);
    }
}
stepwise.close();`;
}

/** Empty-state help: how to log a first run with the Java SDK. */
export function SdkSnippet({ slug }: { slug: string }) {
  const code = sdkSnippet(window.location.origin, slug);
  return (
    <div className="sdk-snippet" data-testid="sdk-snippet">
      <p>
        No runs yet. Create a <strong>write</strong> API key in{' '}
        <Link to={`/projects/${encodeURIComponent(slug)}/settings`}>project settings</Link>, then log a first run with
        the Java SDK (<code>dev.stepwise:stepwise-client</code>):
      </p>
      <pre>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label="Copy snippet" />
    </div>
  );
}
