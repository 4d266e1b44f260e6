import { useEffect } from 'react';
import { useConsole } from './console-store';
import { ConnectScreen } from '../features/connect/ConnectScreen';
import { ConsoleScreen } from './ConsoleScreen';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { SignInScreen } from '../features/sign-in/SignInScreen';
import { TopBar } from './TopBar';

export function App() {
  const screen = useConsole((s) => s.screen);
  const init = useConsole((s) => s.init);
  useEffect(() => {
    void init();
  }, [init]);

  return (
    <div className="app">
      <TopBar />
      <main className="app-main">
        <ErrorBoundary key={screen} onRecover={() => useConsole.getState().recover()}>
          {screen === 'boot' && <div className="center muted" role="status">Starting…</div>}
          {screen === 'connect' && <ConnectScreen />}
          {screen === 'signIn' && <SignInScreen />}
          {screen === 'console' && <ConsoleScreen />}
        </ErrorBoundary>
      </main>
    </div>
  );
}
