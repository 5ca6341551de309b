import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { originForm } from '../../gateway/request-target.js';

test('an absolute-form target becomes its path and query, kept byte for byte', () => {
  assert.is(originForm('http://h:8080/v1/collections/c/documents/a%2Fb?x=1'), '/v1/collections/c/documents/a%2Fb?x=1');
  assert.is(originForm('HTTPS://h/v1/x'), '/v1/x');
});

test('an absolute-form target without a path is the root', () => {
  assert.is(originForm('http://h'), '/');
  assert.is(originForm('http://h?x=1'), '/?x=1');
});

test('an origin-form target, or one of another form, is left as it is', () => {
  assert.is(originForm('/v1/collections/c/documents'), '/v1/collections/c/documents');
  assert.is(originForm('*'), '*');
  assert.is(originForm('ftp://h/v1'), 'ftp://h/v1');
});

test.run();
