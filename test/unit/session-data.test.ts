import { describe, expect, it } from 'vitest';
import { parsePhpSession, phpSerialize, phpUnserialize, PhpArray } from '../../src/core/drupal/php-serialize.js';
import { readSessionData } from '../../src/core/drupal/session-data.js';

// Real rows from docs/drupal-data-model.md (section 3).
const REAL_8_5 =
  '_sf2_attributes|a:1:{s:3:"uid";s:1:"1";}_sf2_meta|a:4:{s:1:"u";i:1531783486;s:1:"c";i:1530797167;s:1:"l";s:7:"2000000";s:1:"s";s:43:"5xz3vZ7xWVcSfs0pkkFpOGggAoKjpb-WL7YoQnIB4K8";}';
const REAL_8_1 =
  '_sf2_attributes|a:1:{s:3:"uid";s:1:"1";}_sf2_flashes|a:0:{}_sf2_meta|a:4:{s:1:"u";i:1462647843;s:1:"c";i:1462482674;s:1:"l";s:7:"2000000";s:1:"s";s:43:"4BwMl1ZaoN3_htnJn5cKC9C5fe10ZMC11XLH_oKLtBo";}dblog_overview_filter|a:1:{s:4:"type";a:1:{s:17:"migrate_drupal_ui";s:17:"migrate_drupal_ui";}}';

const UNREADABLE = { readable: false, created: null, lifetime: null, masqueradeBy: null, browser: null, passwordReset: false };

describe('readSessionData', () => {
  it('reads real Drupal 8 rows, as text or bytes', () => {
    const expected = { readable: true, created: 1530797167, lifetime: 2000000, masqueradeBy: null, browser: null, passwordReset: false };
    expect(readSessionData(REAL_8_5)).toEqual(expected);
    expect(readSessionData(Buffer.from(REAL_8_5))).toEqual(expected);
    expect(readSessionData(REAL_8_1)).toMatchObject({ readable: true, created: 1462482674 });
  });

  it('never copies secrets into its result', () => {
    const text = JSON.stringify(readSessionData(REAL_8_5));
    expect(text).not.toContain('5xz3vZ7xWVcSfs0pkkFpOGggAoKjpb');
    const withReset = '_sf2_attributes|a:2:{s:3:"uid";s:1:"7";s:12:"pass_reset_7";s:10:"TOKEN12345";}';
    expect(readSessionData(withReset).passwordReset).toBe(true);
    expect(JSON.stringify(readSessionData(withReset))).not.toContain('TOKEN12345');
  });

  it('accepts any key order, int or string values, extra keys, NULL and empty data', () => {
    const data = '_sf2_meta|a:5:{s:1:"l";i:3600;s:1:"s";s:3:"abc";s:1:"c";s:3:"100";s:1:"u";i:5;s:5:"extra";b:1;}zz|N;_sf2_attributes|a:3:{s:25:"session_inspector_browser";s:7:"Firefox";s:3:"uid";i:3;s:12:"masquerading";s:1:"1";}';
    expect(readSessionData(data)).toEqual({ readable: true, created: 100, lifetime: 3600, masqueradeBy: 1, browser: 'Firefox', passwordReset: false });
    expect(readSessionData(null)).toMatchObject({ readable: true, created: null });
    expect(readSessionData('')).toMatchObject({ readable: true });
    expect(readSessionData('_sf2_meta|a:1:{s:12:"masquerading";i:2;}').masqueradeBy).toBe(2);
  });

  it('keeps only plausible times, lifetimes and uids', () => {
    const data = '_sf2_meta|a:3:{s:1:"c";i:99999999999999999;s:1:"l";i:-5;s:12:"masquerading";s:20:"99999999999999999999";}';
    expect(readSessionData(data)).toMatchObject({ readable: true, created: null, lifetime: null, masqueradeBy: null });
  });

  it('flags a pending password reset written the 8.0–8.4 way (top level)', () => {
    expect(readSessionData('pass_reset_12|s:5:"token";').passwordReset).toBe(true);
    expect(readSessionData('_sf2_attributes|a:1:{s:15:"pass_reset_hash";s:3:"abc";}').passwordReset).toBe(true);
    expect(readSessionData('_sf2_attributes|a:1:{s:18:"pass_reset_timeout";i:5;}').passwordReset).toBe(false);
  });

  it('counts string lengths in bytes, as PHP does', () => {
    const data = '_sf2_attributes|a:1:{s:25:"session_inspector_browser";s:6:"Zoë 1";}';
    expect(readSessionData(data).browser).toBe('Zoë 1');
  });

  it.each([
    ['truncated', REAL_8_5.slice(0, 80)],
    ['a wrong string length', REAL_8_5.replace('s:43:', 's:44:')],
    ['a length past the end', '_sf2_meta|s:999999999:"x";'],
    ['a PHP object', '_sf2_meta|O:8:"stdClass":1:{s:1:"c";i:5;}'],
    ['a custom-serialized object', '_sf2_meta|C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}'],
    ['a reference', '_sf2_meta|a:2:{i:0;i:1;i:1;R:2;}'],
    ['deep nesting', `_sf2_meta|${'a:1:{i:0;'.repeat(5000)}i:1;${'}'.repeat(5000)}`],
    ['a huge element count', '_sf2_meta|a:2147483647:{}'],
    ['no key', '|i:1;'],
    ['binary noise', Buffer.from([0xff, 0xfe, 0x00, 0x7c, 0x61, 0x3a])],
    ['an unterminated key', 'x'.repeat(1000)],
  ])('says "unreadable" for %s, without throwing', (_name, data) => {
    expect(readSessionData(data)).toEqual(UNREADABLE);
  });

  it('handles a 10 MB blob quickly, valid or corrupt', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const valid = `_sf2_attributes|a:1:{s:4:"blob";s:${big.length}:"${big}";}_sf2_meta|a:1:{s:1:"c";i:42;}`;
    expect(readSessionData(valid)).toMatchObject({ readable: true, created: 42 });
    expect(readSessionData(valid.slice(0, -3))).toEqual(UNREADABLE);
    expect(readSessionData(`_sf2_meta|${'a:1:{i:0;'.repeat(1_000_000)}`)).toEqual(UNREADABLE);
  });
});

describe('php serialize', () => {
  it('round-trips what we write', () => {
    const value = { '%sid': 'abc', '%name': 'Zoë', list: ['x', 1, true, null] };
    const parsed = phpUnserialize(phpSerialize(value));
    expect(parsed).toBeInstanceOf(PhpArray);
    expect((parsed as PhpArray).get('%name')).toBe('Zoë');
    expect(phpSerialize(value)).toBe('a:3:{s:4:"%sid";s:3:"abc";s:5:"%name";s:4:"Zoë";s:4:"list";a:4:{i:0;s:1:"x";i:1;i:1;i:2;b:1;i:3;N;}}');
  });

  it('reads floats, booleans and integer keys', () => {
    const parsed = phpUnserialize('a:3:{i:0;d:0.5;i:1;b:0;s:1:"k";d:-INF;}') as PhpArray;
    expect(parsed.get(0)).toBe(0.5);
    expect(parsed.get('1')).toBe(false);
    expect(parsed.get('k')).toBe(-Infinity);
    expect(() => phpUnserialize('i:1;trailing')).toThrow(/trailing/);
    expect(parsePhpSession('a|i:1;b|s:1:"|";').get('b')).toBe('|');
  });
});
