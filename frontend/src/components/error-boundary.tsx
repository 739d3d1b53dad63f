import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorMessage } from '@/components/error-message';

type Props = { children: ReactNode; resetKey?: unknown };
type State = { error: unknown; hasError: boolean };

/** Catches render errors so a broken widget shows a message instead of a blank page. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, hasError: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, hasError: true };
  }

  componentDidUpdate(prev: Props) {
    if (this.state.hasError && prev.resetKey !== this.props.resetKey) {
      this.setState({ error: null, hasError: false });
    }
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Stepwise UI error', error, info.componentStack);
  }

  render() {
    if (this.state.hasError) {
      return <ErrorMessage error={this.state.error} onRetry={() => this.setState({ error: null, hasError: false })} />;
    }
    return this.props.children;
  }
}
