import { Component, type ReactNode } from 'react';

/**
 * The last line of defence in the UI: a rendering error shows a calm message with a
 * way back instead of a blank window. The main process and its data are unaffected.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; onRecover: () => void }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="center">
        <div className="card blocked-card" role="alert">
          <h2>This screen could not be shown</h2>
          <p>{this.state.error.message}</p>
          <p className="muted">Nothing was changed. Go back and try again; if it happens again, the data on this screen may be damaged.</p>
          <button type="button" className="button button-primary" onClick={() => {
              // Reset the state that led here first, or the same data fails again.
              this.props.onRecover();
              this.setState({ error: null });
            }}>
            Go back
          </button>
        </div>
      </div>
    );
  }
}
