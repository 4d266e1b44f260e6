import { describe, expect, it } from 'vitest';
import { decoyHashLike, hashKind, phpassHash, verifyPassword } from '../../src/core/auth/password.js';

describe('password hashes (every vector in docs/drupal-data-model.md)', () => {
  it.each([
    ['valid password', '$S$5TOxWPdvJRs0P/xZBdrrPlGgzViOS0drHu3jaIjitesfttrp18bk', true],
    ['invalid password', '$S$5TOxWPdvJRs0P/xZBdrrPlGgzViOS0drHu3jaIjitesfttrp18bk', false],
    ['valid password', 'U$S$5vNHDQyLqCTvsYBLWBUWXJWhA0m3DTpBh04acFEOGB.bKBclhKgo', true],
    ['invalid password', 'U$S$5vNHDQyLqCTvsYBLWBUWXJWhA0m3DTpBh04acFEOGB.bKBclhKgo', false],
    ['drupal', '$S$E4a4O.NdAXjqlYYciUSWTPJTsa2qODJPlosxyPHa4zG0BmcIPH.U', true],
    ['drupal', '$S$EuRvs.uCgUvf2Y/KSQLXmm8WNxPcSt1SRPanz0RW6v33YrGtOFMa', true],
    ['Drupal', '$S$EuRvs.uCgUvf2Y/KSQLXmm8WNxPcSt1SRPanz0RW6v33YrGtOFMa', false],
  ])('%s against %s → %s', async (password, hash, expected) => {
    expect(await verifyPassword(password, hash)).toBe(expected);
  });

  // PHP manual examples for password_hash()/password_verify(), written by PHP itself.
  it('checks bcrypt hashes written by PHP ($2y$)', async () => {
    const php = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a';
    expect(await verifyPassword('rasmuslerdorf', php)).toBe(true);
    expect(await verifyPassword('rasmuslerdorF', php)).toBe(false);
    expect(await verifyPassword('rasmuslerdorf', php.replace('$2y$', '$2b$'))).toBe(true);
  });

  it('checks argon2i and argon2id hashes written by PHP', async () => {
    const argon2i = '$argon2i$v=19$m=1024,t=2,p=2$YzJBSzV4TUhkMzc3d3laeg$zqU/1IN0/AogfP4cmSJI1vc8lpXRW9/S0sYY2i2jHT0';
    expect(await verifyPassword('rasmuslerdorf', argon2i)).toBe(true);
    expect(await verifyPassword('rasmus', argon2i)).toBe(false);
    expect(hashKind(argon2i)).toBe('argon2');
  });

  it('creates $S$ hashes that Drupal checks the same way', async () => {
    const hash = phpassHash('s3cret', 'abcdefgh', 10);
    expect(hash).toMatch(/^\$S\$8abcdefgh.{43}$/);
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret!', hash)).toBe(false);
  });

  it('makes decoys that cost what the site\'s own hashes cost, and match nothing', async () => {
    const samples = [
      '$S$E4a4O.NdAXjqlYYciUSWTPJTsa2qODJPlosxyPHa4zG0BmcIPH.U',
      '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
      '$argon2i$v=19$m=1024,t=2,p=2$YzJBSzV4TUhkMzc3d3laeg$zqU/1IN0/AogfP4cmSJI1vc8lpXRW9/S0sYY2i2jHT0',
    ];
    for (const sample of samples) {
      const decoy = decoyHashLike(sample);
      expect(hashKind(decoy)).toBe(hashKind(sample));
      // Same algorithm and cost parameters; another salt and digest.
      const parameters = sample.startsWith('$argon2') ? sample.lastIndexOf('$', sample.lastIndexOf('$') - 1) + 1 : sample.startsWith('$S$') ? 4 : 7;
      expect(decoy.slice(0, parameters)).toBe(sample.slice(0, parameters));
      expect(decoy).not.toBe(sample);
      expect(await verifyPassword('rasmuslerdorf', decoy)).toBe(false);
      expect(await verifyPassword('drupal', decoy)).toBe(false);
    }
    expect(decoyHashLike(null)).toMatch(/^\$S\$E/);
  });

  it('never matches malformed hashes, empty hashes or over-long passwords', async () => {
    expect(await verifyPassword('drupal', null)).toBe(false);
    expect(await verifyPassword('drupal', '')).toBe(false);
    expect(await verifyPassword('drupal', '$S$')).toBe(false);
    expect(await verifyPassword('drupal', '$S$Z4a4O.NdAXjqlYYciUSWTPJTsa2qODJPlosxyPHa4zG0BmcIPH.U')).toBe(false);
    expect(await verifyPassword('drupal', '$2y$10$short')).toBe(false);
    expect(await verifyPassword('drupal', '$argon2id$garbage')).toBe(false);
    expect(await verifyPassword('drupal', 'plain-md5-5f4dcc3b5aa765d61d8327deb882cf99')).toBe(false);
    const long = 'a'.repeat(513);
    expect(await verifyPassword(long, phpassHash(long.slice(0, 512), 'abcdefgh', 7))).toBe(false);
    expect(await verifyPassword(long.slice(0, 512), phpassHash(long.slice(0, 512), 'abcdefgh', 7))).toBe(true);
  });
});
