// The admin API's token routes: GET /.well-known/jwks.json (the gateway issuer's public keys) and
// GET/POST /apikey (Basic auth as a gatehouse.yaml user → a signed API key as text).
#pragma once

class QHttpServer;

namespace Gatehouse {

class GatewayEngine;

// Adds the routes to `server`; they read the engine's current services on each call. /apikey's
// parameters: security/apikeyrequest.h.
void addApiKeyRoutes(QHttpServer *server, GatewayEngine *engine);

} // namespace Gatehouse
