// gatehouse.yaml as a typed model. Every field has a default so that a project without the file runs.
// The schema is documented in docs/configuration.md; keep the two in step.
#pragma once

#include "base/diagnostic.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

namespace Gatehouse {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A secret value: a literal, or a reference resolved at start ("${env:NAME}", "${file:path}").
// Exports keep references and drop literals unless secrets are explicitly included.
struct SecretRef
{
    QString literal;
    QString envName;
    QString filePath;   // relative to the project directory
    bool isEmpty() const { return literal.isEmpty() && envName.isEmpty() && filePath.isEmpty(); }
};

enum class ClientCertMode { None = 1, Request, Require };

struct ListenerSettings
{
    bool enabled = true;
    QString address;   // "0.0.0.0", "127.0.0.1", "::"
    quint16 port = 0;
    SourceLocation location;
};

struct TlsListenerSettings : ListenerSettings
{
    QString certificateFile;   // PEM; generated self-signed on first run when absent
    QString privateKeyFile;    // PEM, 0600
    ClientCertMode clientCertificates = ClientCertMode::None;
    QString clientCaFile;      // PEM bundle trusted for client certificates
    QStringList alpn;          // default: h2, http/1.1
};

struct Listeners
{
    ListenerSettings http;        // default 0.0.0.0:9090
    TlsListenerSettings https;    // default 0.0.0.0:9095
    ListenerSettings admin;       // default 127.0.0.1:9096
};

// Protections of the data plane (answers 413/414/431/408).
struct Limits
{
    qint64 maxRequestLineBytes = 8 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    qint64 maxBodyBytes = 0;                         // 0 = unlimited (streamed)
    milliseconds headerTimeout{10'000};              // whole request head must arrive within
    milliseconds idleTimeout{60'000};                // keep-alive idle
    milliseconds drainTimeout{10'000};               // graceful shutdown bound
    int http2MaxConcurrentStreams = 100;
};

struct CircuitBreakerSettings
{
    int failureThreshold = 5;          // consecutive failures that open the circuit
    milliseconds openDuration{10'000}; // before a half-open probe
};

struct UpstreamSettings
{
    milliseconds connectTimeout{5'000};
    milliseconds requestTimeout{60'000};   // until the response head
    milliseconds idleTimeout{60'000};      // pooled keep-alive connection
    int maxRetries = 1;                    // idempotent requests only
    int maxIdleConnectionsPerHost = 64;
    bool verifyTls = true;
    QString caFile;                        // extra CA bundle for upstream TLS
    CircuitBreakerSettings circuitBreaker;
};

// Maps token claims to what the gateway needs.
struct ClaimMapping
{
    QString scopes = QStringLiteral("scope");   // also "scp"; space-separated string or array
    QString subject = QStringLiteral("sub");
    QString application = QStringLiteral("azp");
    QString applicationTier;                    // claim naming the application tier
    QString subscriptionTier;                   // claim naming the subscription tier
};

// A trusted JWT issuer (several may be configured; iss selects one).
struct JwtIssuer
{
    QString name;
    QString issuer;                 // expected "iss"
    QStringList audiences;          // any match; empty = not checked
    QString jwksFile;               // local JWKS
    QUrl jwksUrl;                   // remote JWKS, fetched asynchronously
    seconds jwksRefresh{3600};
    QString certificateFile;        // PEM certificate or public key instead of JWKS
    SecretRef hmacSecret;           // HS* only
    QStringList algorithms;         // allowed; default from the key type
    ClaimMapping claims;
    seconds clockSkew{60};
    bool requireExp = true;
    SourceLocation location;
};

// OAuth2 token introspection (RFC 7662) for opaque tokens.
struct KeyManager
{
    QString name;
    QUrl introspectionUrl;
    QString clientId;
    SecretRef clientSecret;
    seconds cacheTtl{60};
    ClaimMapping claims;
    SourceLocation location;
};

// The gateway's own issuer for API keys and test tokens (/apikey, `gatehoused key issue`).
struct ApiKeyIssuerSettings
{
    bool enabled = true;
    QString issuer = QStringLiteral("https://gatehouse.local/apikey");
    QString privateKeyFile = QStringLiteral("keys/apikey.pem");   // generated on first run, 0600
    QString algorithm = QStringLiteral("RS256");
    seconds defaultTtl{3600};
    seconds maxTtl{86400 * 365};
    QString revocationFile = QStringLiteral("keys/revoked.txt");
};

// A user for Basic auth and for /apikey. Passwords are stored hashed (see docs/configuration.md).
struct BasicUser
{
    QString name;
    QString passwordHash;    // "$6$..." crypt(3) SHA-512 or "sha256:<hex>"
    SecretRef password;      // alternative: a reference, never a literal in shared projects
    QStringList scopes;
    SourceLocation location;
};

struct SecuritySettings
{
    QList<JwtIssuer> issuers;
    QList<KeyManager> keyManagers;
    ApiKeyIssuerSettings apiKeys;
    QList<BasicUser> users;
    QString defaultAuthHeader = QStringLiteral("Authorization");
};

enum class TimeUnit { Second = 1, Minute, Hour, Day };
QString timeUnitName(TimeUnit unit);
seconds timeUnitDuration(TimeUnit unit);

struct ThrottleTier
{
    QString name;
    qint64 count = 0;            // requests per unit
    TimeUnit unit = TimeUnit::Minute;
    qint64 burst = 0;            // extra requests allowed at once
    bool stopOnQuotaReach = true;
    SourceLocation location;
};

enum class RateLimitHeaders { Ietf = 1, XRateLimit, None };

struct ThrottlingSettings
{
    QString store = QStringLiteral("local");     // "local" or "redis://host:port[/db]"
    RateLimitHeaders headers = RateLimitHeaders::Ietf;
    QMap<QString, ThrottleTier> tiers;           // includes "Unlimited" and the starter set
    QString unauthenticatedTier;                 // per client IP, empty = none
};

struct TracingSettings
{
    bool enabled = true;
    double sampleRatio = 1.0;
    QUrl otlpEndpoint;               // OTLP/HTTP JSON, empty = not exported
    bool serverTimingHeader = false;
    int ringBufferSize = 2000;       // recent traces kept for the workbench
};

struct AccessLogSettings
{
    bool enabled = false;
    QString path;                    // empty or "-" = stdout
    QString format = QStringLiteral("json");   // "json" or "combined"
};

struct TelemetrySettings
{
    bool metricsEnabled = true;
    TracingSettings tracing;
    AccessLogSettings accessLog;
};

struct HubSettings
{
    QString path = QStringLiteral("policies/hub");   // offline policy hub (a folder or an archive)
};

struct ProjectSettings
{
    int schemaVersion = 1;
    QString name;                    // default: the folder name
    Listeners listeners;
    int workers = 0;                 // 0 = one per core
    Limits limits;
    UpstreamSettings upstream;
    SecuritySettings security;
    ThrottlingSettings throttling;
    TelemetrySettings telemetry;
    HubSettings hub;
    QMap<QString, QList<QUrl>> grpcEndpoints;   // "pkg.Service" -> upstream URLs
    QString file;                    // "gatehouse.yaml", or empty when defaults apply
};

// Defaults for a project without gatehouse.yaml (listeners, starter tiers, self issuer).
ProjectSettings defaultProjectSettings();

} // namespace Gatehouse
