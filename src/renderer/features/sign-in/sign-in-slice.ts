/** The operator: signing in and out. */
import type { OperatorInfo } from '../../../shared/domain';
import { unwrap } from '../../lib/bridge';
import type { SliceKit } from '../../app/store-kit';
import type { ConsoleResets } from '../../app/console-store';

export interface SignInSlice {
  operator: OperatorInfo | null;
  signIn(name: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

export function signInSlice({ set, get, bridge, guard, attempt }: SliceKit, resets: ConsoleResets): SignInSlice {
  return {
    operator: null,

    async signIn(name, password) {
      const token = guard.renew();
      const operator = await attempt('signing-in', () => unwrap(bridge.signIn({ name, password })));
      if (operator && guard.holds(token)) {
        set({ operator, screen: 'console', ...resets() });
        await get().search('');
      }
    },

    async signOut() {
      guard.renew();
      await attempt('signing-out', () => unwrap(bridge.signOut()));
      set({ operator: null, screen: 'signIn', ...resets() });
    },
  };
}
