// An OAuth 2.0 authorization server for Gatehouse's tests: panva's oidc-provider (written by
// others, OpenID certified), with the client credentials grant, RFC 7662 introspection and RFC 7009
// revocation. Nothing is scripted: tokens are the provider's own opaque access tokens. Prints its
// issuer URL on the first line of stdout, then serves until stdin closes (the test's QProcess ends).
//   client "app" (secret "app-secret"): client_credentials, scopes "read write"
//   client "gatehouse" (secret "s3cret"): the gateway's introspection credentials
import http from 'node:http';
import Provider from 'oidc-provider';

let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'app', client_secret: 'app-secret', grant_types: ['client_credentials'],
      redirect_uris: [], response_types: [], scope: 'read write' },
    { client_id: 'gatehouse', client_secret: 's3cret', grant_types: [], redirect_uris: [], response_types: [] },
  ],
  scopes: ['read', 'write'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { ClientCredentials: 600 },
  cookies: { keys: ['gatehouse-test-only'] },
});
provider.proxy = false;
handler = provider.callback();

process.stdout.write(`${issuer}\n`);
process.stdin.resume();
process.stdin.on('end', () => { server.close(); process.exit(0); });
