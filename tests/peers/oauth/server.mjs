// An OAuth2 authorization server for Gatehouse's tests: oauth2-mock-server (written by others)
// with scripted RFC 7662 introspection. Prints its base URL on the first line of stdout, then
// serves until stdin closes (the test's QProcess ends).
//   client authentication: Basic gatehouse:s3cret, else 401
//   token "opaque-<user>-<scopes joined by +>"  active, exp in 5 minutes
//   token "opaque-expired"                       active: true but exp an hour ago
//   token "opaque-error"                         HTTP 500
//   anything else                                active: false
// Counts introspection calls: GET /calls.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
let calls = 0;

server.service.on('beforeIntrospect', (response, req) => {
  calls += 1;
  const expected = 'Basic ' + Buffer.from('gatehouse:s3cret').toString('base64');
  if (req.headers.authorization !== expected) {
    response.statusCode = 401;
    response.body = { error: 'invalid_client' };
    return;
  }
  const token = (req.body && req.body.token) || '';
  const now = Math.floor(Date.now() / 1000);
  const good = /^opaque-([a-z]+)-([a-z+]+)$/.exec(token);
  if (good) {
    response.body = { active: true, sub: good[1], scope: good[2].split('+').join(' '),
                      client_id: 'app-' + good[1], exp: now + 300, token_type: 'Bearer' };
  } else if (token === 'opaque-expired') {
    response.body = { active: true, sub: 'old', scope: 'read', exp: now - 3600 };
  } else if (token === 'opaque-error') {
    response.statusCode = 500;
    response.body = { error: 'server_error' };
  } else {
    response.body = { active: false };
  }
});

// oauth2-mock-server's /introspect handler does not read the request body; read it first (the
// library's handler never touches the stream) so that the scripted answers can see the token.
const http = await import('node:http');
const main = http.createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/introspect')) {
    server.service.requestHandler(req, res);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    req.body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    server.service.requestHandler(req, res);
  });
});
await new Promise((resolve) => main.listen(0, '127.0.0.1', resolve));
server.issuer.url = `http://127.0.0.1:${main.address().port}`;

// A tiny side channel for the test: how many introspection calls were made.
const side = http.createServer((req, res) => {
  res.end(String(calls));
});
await new Promise((resolve) => side.listen(0, '127.0.0.1', resolve));

process.stdout.write(`${server.issuer.url} ${side.address().port}\n`);
process.stdin.resume();
process.stdin.on('end', () => { side.close(); main.close(); process.exit(0); });
