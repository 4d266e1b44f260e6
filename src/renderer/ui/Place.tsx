/** Where an address is, under it: its country, or what kind of address it is. */
import type { Location } from '../../shared/domain';

/** Kinds worth a word on screen; documentation ranges (examples, tests) stay quiet. */
const KINDS: Record<string, string> = {
  private: 'private network',
  loopback: 'this machine',
  'link-local': 'link-local',
  reserved: 'reserved',
};

export function Place({ location }: { location: Location }) {
  if (location.country) {
    const where = [location.country, location.city].filter(Boolean).join(' · ');
    return <span className="place" title={location.network ?? 'Country of the address (ip-location-db, CC0)'}>{where}</span>;
  }
  const kind = location.addressKind && KINDS[location.addressKind];
  return kind ? <span className="place" title="Special-purpose address: no country">{kind}</span> : null;
}
