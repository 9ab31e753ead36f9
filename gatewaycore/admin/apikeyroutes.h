// The admin API's token routes: GET /.well-known/jwks.json (the gateway issuer's public keys) and
// GET/POST /apikey (Basic auth as a gatehouse.yaml user → a signed API key as text).
#pragma once

class QHttpServer;

namespace Gatehouse {

class GatewayEngine;

// Adds the routes to `server`; they read the engine's current services on each call.
//
// /apikey parameters (query string, form body, or a JSON body):
//   scopes | scope   space-separated; each must be one of the user's scopes (default: all of them)
//   validityTime     seconds, at most apiKeys.maxTtl (default apiKeys.defaultTtl)
//   apis             comma-separated API names the key may call (JSON: allowedAPIs array)
void addApiKeyRoutes(QHttpServer *server, GatewayEngine *engine);

} // namespace Gatehouse
