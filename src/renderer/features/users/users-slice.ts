/** Finding users: the search text, its page, and the answer to the latest query only. */
import type { UserPage, UserSort } from '../../../shared/domain';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

/** Users per page: the list is virtualised, so a page may be long; the pager does the rest. */
export const PAGE_SIZE = 100;

export interface UsersSlice {
  searchText: string;
  offset: number;
  users: Loadable<UserPage>;
  /** By name, last seen or session count; kept across searches. */
  userSort: UserSort;
  search(text: string, offset?: number): Promise<void>;
  sortUsers(sort: UserSort): Promise<void>;
}

export const freshUsers = (): Pick<UsersSlice, 'searchText' | 'offset' | 'users'> => ({ searchText: '', offset: 0, users: idle<UserPage>() });

export function usersSlice({ set, get, bridge, guard, recheckOperator }: SliceKit): UsersSlice {
  return {
    ...freshUsers(),
    userSort: 'name',

    async sortUsers(sort) {
      set({ userSort: sort });
      await get().search(get().searchText, 0);
    },

    async search(text, offset = 0) {
      const token = guard.token();
      set({ searchText: text, offset, users: { ...get().users, loading: true, error: null } });
      // Only the answer to the latest query, in the same context, counts.
      const sort = get().userSort;
      const current = () => guard.holds(token) && get().searchText === text && get().offset === offset && get().userSort === sort;
      try {
        const page = await unwrap(bridge.searchUsers({ text, limit: PAGE_SIZE, offset, ...(sort !== 'name' ? { sort } : {}) }));
        if (current()) set({ users: { loading: false, data: page, error: null } });
      } catch (error) {
        const appError = asAppError(error);
        if (!current()) return;
        set({ users: { loading: false, data: null, error: appError } });
        await recheckOperator(appError);
      }
    },
  };
}
