/** Saved connections, connecting and the demo site. */
import type { ConnectionInfo, DemoSite, Profile, ProfileInput } from '../../../shared/ipc/contract';
import type { SshHostKeyInfo } from '../../../shared/ssh';
import { unwrap } from '../../lib/bridge';
import type { SliceKit } from '../../app/store-kit';
import type { ConsoleResets } from '../../app/console-store';

export interface ConnectSlice {
  canStorePasswords: boolean;
  profiles: Profile[];
  connection: ConnectionInfo | null;
  demoAccounts: DemoSite['accounts'] | null;
  loadProfiles(): Promise<void>;
  saveProfile(input: ProfileInput): Promise<Profile | null>;
  deleteProfile(id: string): Promise<void>;
  testConnection(profileId: string, password?: string): Promise<ConnectionInfo | null>;
  /** Tests fields before they are saved. */
  testProfile(input: ProfileInput): Promise<ConnectionInfo | null>;
  connect(profileId: string, password?: string, sshPassphrase?: string): Promise<void>;
  /**
   * An SSH server seen for the first time: its key, and what to do once it is trusted
   * (the attempt that was refused, again). Shown as a dialog with the fingerprint.
   */
  hostKeyPrompt: { key: SshHostKeyInfo; retry: () => Promise<unknown> } | null;
  trustHostKey(): Promise<void>;
  dismissHostKey(): void;
  /**
   * "Open a dump or database file…": picks a file, keeps it as a read-only connection
   * (the one already kept for that file, if any) and connects to it.
   */
  openFile(): Promise<void>;
  openDemo(): Promise<void>;
  disconnect(): Promise<void>;
}

const withSecrets = (profileId: string, password?: string, sshPassphrase?: string) => ({
  profileId,
  ...(password ? { password } : {}),
  ...(sshPassphrase ? { sshPassphrase } : {}),
});

export function connectSlice({ set, get, bridge, guard, attempt }: SliceKit, resets: ConsoleResets): ConnectSlice {
  /**
   * A refusal for an SSH server never seen before becomes a question (its fingerprint,
   * trust or not) rather than an error; a changed key stays an error, as it must.
   */
  const askAboutHostKey = (retry: () => Promise<unknown>) => {
    const key = get().error?.hostKey;
    if (key?.status === 'unknown') set({ hostKeyPrompt: { key, retry }, error: null });
  };
  return {
    canStorePasswords: false,
    profiles: [],
    connection: null,
    demoAccounts: null,
    hostKeyPrompt: null,

    async loadProfiles() {
      set({ profiles: await unwrap(bridge.listProfiles()) });
    },

    async saveProfile(input) {
      const saved = await attempt('saving', () => unwrap(bridge.saveProfile(input)));
      if (saved) {
        await get().loadProfiles();
        set({ notice: `Saved "${saved.name}".` });
      }
      return saved;
    },

    async deleteProfile(id) {
      await attempt('deleting', async () => {
        await unwrap(bridge.deleteProfile({ id }));
        await get().loadProfiles();
      });
    },

    async testConnection(profileId, password) {
      const info = await attempt('testing', () => unwrap(bridge.testConnection(withSecrets(profileId, password))));
      askAboutHostKey(() => get().testConnection(profileId, password));
      if (info) set({ notice: `Connected to ${info.description}: a Drupal 8+ site${info.readOnly ? ', read-only' : ''}.` });
      return info;
    },

    async testProfile(input) {
      const info = await attempt('testing', () => unwrap(bridge.testConnection({ profile: input })));
      askAboutHostKey(() => get().testProfile(input));
      if (info) set({ notice: `Connected to ${info.description}: a Drupal 8+ site${info.readOnly ? ', read-only' : ''}.` });
      return info;
    },

    async openFile() {
      const chosen = await bridge.chooseSqliteFile();
      if (!chosen.ok) {
        set({ error: chosen.error });
        return;
      }
      const file = chosen.value;
      if (!file) return;
      const known = get().profiles.find((p) => p.engine === 'sqlite' && p.file === file);
      const profile = known ?? (await attempt('saving', () => unwrap(bridge.saveProfile({
        name: file.split(/[\\/]/).pop() || file, engine: 'sqlite', file, prefix: '', readOnly: true, superUser: true,
      }))));
      if (!profile) return;
      if (!known) await get().loadProfiles();
      await get().connect(profile.id);
    },

    async connect(profileId, password, sshPassphrase) {
      guard.renew();
      const info = await attempt('connecting', () => unwrap(bridge.connect(withSecrets(profileId, password, sshPassphrase))));
      askAboutHostKey(() => get().connect(profileId, password, sshPassphrase));
      if (info) set({ connection: info, demoAccounts: null, operator: null, screen: 'signIn', ...resets() });
    },

    async trustHostKey() {
      const prompt = get().hostKeyPrompt;
      if (!prompt) return;
      const { host, port, fingerprint } = prompt.key;
      // The answer carries no value (null over IPC): success is that it did not fail.
      const trusted = await attempt('saving', async () => {
        await unwrap(bridge.trustSshHostKey({ host, port, fingerprint }));
        return true;
      });
      set({ hostKeyPrompt: null });
      if (trusted) await prompt.retry();
    },

    dismissHostKey() {
      set({ hostKeyPrompt: null });
    },

    async openDemo() {
      guard.renew();
      const demo = await attempt('creating-demo', () => unwrap(bridge.openDemo()));
      if (demo) set({ connection: demo.connection, demoAccounts: demo.accounts, operator: null, screen: 'signIn', ...resets() });
    },

    async disconnect() {
      guard.renew();
      await attempt('disconnecting', () => unwrap(bridge.disconnect()));
      set({ connection: null, operator: null, demoAccounts: null, screen: 'connect', ...resets() });
    },
  };
}
