import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress } from './address.ts';
import { checkTargetUrl } from './target.ts';

const PROD = { allowHttp: false, allowLoopback: false };
const DEV = { allowHttp: true, allowLoopback: true };

test('addresses: only public unicast ones are public; loopback is its own answer', () => {
  const table: Array<[string, string]> = [
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2a00:1450:4010:c05::8a', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'blocked'],
    ['10.1.2.3', 'blocked'],
    ['172.16.0.1', 'blocked'],
    ['172.31.255.255', 'blocked'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'blocked'],
    ['100.64.0.1', 'blocked'],
    ['100.127.255.255', 'blocked'],
    ['100.128.0.1', 'public'],
    ['169.254.169.254', 'blocked'],
    ['224.0.0.1', 'blocked'],
    ['239.255.255.250', 'blocked'],
    ['240.0.0.1', 'blocked'],
    ['255.255.255.255', 'blocked'],
    ['192.0.2.1', 'blocked'],
    ['198.18.0.1', 'blocked'],
    ['::', 'blocked'],
    ['fe80::1', 'blocked'],
    ['fe80::1%eth0', 'blocked'],
    ['fc00::1', 'blocked'],
    ['fd12:3456::1', 'blocked'],
    ['ff02::1', 'blocked'],
    ['2001:db8::1', 'blocked'],
    ['::ffff:169.254.169.254', 'blocked'],
    ['::ffff:a9fe:a9fe', 'blocked'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'blocked'],
    ['2002:a9fe:a9fe::1', 'blocked'],
    ['2002:808:808::1', 'public'],
    ['not-an-ip', 'blocked'],
  ];
  for (const [address, expected] of table) assert.equal(classifyAddress(address), expected, address);
});

test('target URLs: IP literals in every spelling are refused outside development', () => {
  const refused = [
    'https://127.0.0.1/hook',
    'https://0x7f000001/hook',
    'https://2130706433/hook',
    'https://0177.0.0.1/hook',
    'https://127.1/hook',
    'https://0x7f.0.0.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://0xa9fea9fe/',
    'https://2852039166/',
    'https://[::ffff:169.254.169.254]/',
    'https://10.0.0.1/',
    'https://0.0.0.0/',
    'https://0/',
    'https://[fe80::1]/',
    'https://100.64.1.1/',
    'https://localhost/hook',
    'https://api.localhost/hook',
    'http://shop.example/hook',
    'file:///etc/passwd',
    'gopher://shop.example:70/_x',
    'ftp://shop.example/',
    'https://user:pw@shop.example/hook',
    'not a url',
  ];
  for (const url of refused) assert.equal(checkTargetUrl(url, PROD).ok, false, url);
  assert.equal(checkTargetUrl('https://shop.example/hook', PROD).ok, true);
  assert.equal(checkTargetUrl('https://8.8.8.8/hook', PROD).ok, true);
});

test('target URLs: development allows loopback, and plain http only to loopback', () => {
  assert.equal(checkTargetUrl('http://127.0.0.1:8080/hook', DEV).ok, true);
  assert.equal(checkTargetUrl('http://localhost:8080/hook', DEV).ok, true);
  assert.equal(checkTargetUrl('http://shop.example/hook', DEV).ok, false);
  assert.equal(checkTargetUrl('https://169.254.169.254/', DEV).ok, false);
  assert.equal(checkTargetUrl('https://127.0.0.1/', { allowHttp: false, allowLoopback: true }).ok, true);
});
