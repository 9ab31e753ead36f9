// gatehouse.yaml as a typed model. Every field has a default so that a project without the file runs.
// The schema is documented in docs/configuration.md; keep the two in step.
#pragma once

#include "apimodel.h"   // CorsSettings
#include "base/diagnostic.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace Gatehouse {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A secret value: a literal, or a reference resolved at start ("${env:NAME}", "${file:path}").
// Exports keep references and drop literals unless secrets are explicitly included.
struct SecretRef
{
    QString literal;
    QString envName;
    QString filePath;   // as written: relative to the project directory, or absolute
    SourceLocation location;

    bool isEmpty() const { return literal.isEmpty() && envName.isEmpty() && filePath.isEmpty(); }
    bool isReference() const { return !envName.isEmpty() || !filePath.isEmpty(); }
    QString toString() const;   // "${env:NAME}", "${file:path}", or the literal
};

enum class ClientCertMode { None = 1, Request, Require };

struct ListenerSettings
{
    bool enabled = true;
    QString address;   // an IP literal: "0.0.0.0", "127.0.0.1", "::"
    quint16 port = 0;  // 0 = any free port (tests)
    SourceLocation location;
};

struct TlsListenerSettings : ListenerSettings
{
    QString certificateFile = QStringLiteral("keys/tls.crt");   // PEM; self-signed pair generated
    QString privateKeyFile = QStringLiteral("keys/tls.key");    // on first run when both are absent (0600)
    ClientCertMode clientCertificates = ClientCertMode::None;
    QString clientCaFile;             // PEM bundle trusted for client certificates
    QStringList alpn{QStringLiteral("h2"), QStringLiteral("http/1.1")};
    // A client certificate forwarded by a TLS-terminating load balancer (URL-encoded PEM), honoured
    // only from trustedProxies (CIDRs). Empty header = not accepted.
    QString clientCertificateHeader;
    QStringList trustedProxies;
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
    int maxConnections = 0;                          // per process; 0 = unlimited
    milliseconds headerTimeout{10'000};              // whole request head must arrive within
    milliseconds bodyTimeout{30'000};                // longest pause between two reads of a body
    milliseconds idleTimeout{60'000};                // keep-alive idle
    milliseconds drainTimeout{10'000};               // graceful shutdown bound
    int http2MaxConcurrentStreams = 100;
    qint64 http2MaxHeaderListBytes = 64 * 1024;
};

struct CircuitBreakerSettings
{
    int failureThreshold = 5;          // consecutive failures that open the circuit; 0 = never
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
    QString clientCertificateFile;         // client certificate for upstream mutual TLS
    QString clientKeyFile;
    CircuitBreakerSettings circuitBreaker;
};

// Maps token claims to what the gateway needs.
struct ClaimMapping
{
    QString scopes = QStringLiteral("scope");   // also "scp"; space-separated string or array
    QString subject = QStringLiteral("sub");
    QString application = QStringLiteral("azp");
    QString applicationTier;                    // claim naming the application tier; empty = none
    QString subscriptionTier;                   // claim naming the subscription tier; empty = none
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
    seconds jwksMinRefetch{30};     // bound on refetches triggered by unknown kids
    QString certificateFile;        // PEM certificate or public key instead of JWKS
    SecretRef hmacSecret;           // HS* only
    QStringList algorithms;         // allowed; empty = from the key type
    ClaimMapping claims;
    seconds clockSkew{60};
    bool requireExp = true;
    SourceLocation location;
};

enum class IntrospectionAuth { Basic = 1, Bearer };            // client_secret_basic or a bearer token
enum class IntrospectionFailure { Unauthorized = 1, Unavailable }; // endpoint down: 401 or 503

// OAuth2 token introspection (RFC 7662) for opaque tokens.
struct KeyManager
{
    QString name;
    QUrl introspectionUrl;
    IntrospectionAuth auth = IntrospectionAuth::Basic;
    QString clientId;
    SecretRef clientSecret;         // auth: basic
    SecretRef bearerToken;          // auth: bearer
    seconds cacheTtl{60};           // capped by the token's exp
    milliseconds timeout{5'000};
    IntrospectionFailure onError = IntrospectionFailure::Unavailable;
    ClaimMapping claims;
    SourceLocation location;
};

// The gateway's own issuer for API keys and test tokens (/apikey, `gatehoused key issue`).
struct ApiKeyIssuerSettings
{
    bool enabled = true;
    QString issuer = QStringLiteral("https://gatehouse.local/apikey");
    QString privateKeyFile = QStringLiteral("keys/apikey.pem");   // generated on first run, 0600
    QString jwksFile = QStringLiteral("keys/jwks.json");          // public keys, written on first run
    QString algorithm = QStringLiteral("RS256");                   // RS256 or ES256
    seconds defaultTtl{3600};
    seconds maxTtl{86400 * 365};
    QString revocationFile = QStringLiteral("keys/revoked.txt");  // revoked jti, one a line
    bool httpsEndpoint = true;   // /apikey on the HTTPS listener too (it is always on the admin one)
};

// A user for Basic auth and for /apikey. Passwords are stored hashed (see docs/configuration.md).
struct BasicUser
{
    QString name;
    QString passwordHash;    // "pbkdf2-sha256$<iterations>$<salt>$<hash>" (or a legacy MGW form)
    SecretRef passwordHashRef;   // the hash as ${env:NAME} / ${file:path} (bundles), read at start
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
    QString defaultAuthHeader = QStringLiteral("Authorization");   // yaml: authorizationHeader
    bool forwardAuthorization = false;   // pass the credential header upstream
    int tokenCacheEntries = 10'000;      // verified tokens kept per worker
};

enum class TimeUnit { Second = 1, Minute, Hour, Day };
QString timeUnitName(TimeUnit unit);      // "second", "minute", "hour", "day"
seconds timeUnitDuration(TimeUnit unit);  // 1 s, 60 s, 3600 s, 86400 s

inline constexpr QStringView kUnlimitedTier = u"Unlimited";

struct ThrottleTier
{
    QString name;
    qint64 count = 0;            // requests per period; 0 only for "Unlimited"
    TimeUnit unit = TimeUnit::Minute;
    int unitTime = 1;            // period = unitTime × unit (MGW's unitTime)
    qint64 burst = 0;            // extra requests allowed at once
    bool stopOnQuotaReach = true;
    QString description;
    SourceLocation location;     // where defined; invalid for built-in tiers

    bool isUnlimited() const { return count == 0; }
    seconds period() const { return timeUnitDuration(unit) * unitTime; }
};

enum class RateLimitHeaders { Ietf = 1, XRateLimit, None };
enum class StoreFailureMode { Open = 1, Closed };   // Redis unreachable: admit (local limits) or 503

struct RedisStore
{
    QString host;
    quint16 port = 6379;
    int database = 0;
};

struct ThrottlingSettings
{
    QString store = QStringLiteral("local");     // "local" or "redis://host[:port][/db]"
    RedisStore redis;                            // parsed from store when it is a redis URL
    SecretRef redisPassword;
    milliseconds storeTimeout{50};               // per Redis round trip
    StoreFailureMode onStoreFailure = StoreFailureMode::Open;
    RateLimitHeaders headers = RateLimitHeaders::Ietf;
    QMap<QString, ThrottleTier> tiers;           // includes "Unlimited" and the starter set
    QString unauthenticatedTier;                 // per client IP, empty = none
    QStringList imports;                         // MGW policies.yaml files pulled in

    bool isDistributed() const { return !redis.host.isEmpty(); }
};

// An extra header of every OTLP export request (an API key of a hosted collector ...).
struct OtlpHeader
{
    QString name;
    SecretRef value;   // a literal or ${env:NAME} / ${file:path}, resolved at start
};

struct OtlpSettings
{
    QUrl endpoint;                   // OTLP/HTTP JSON, empty = not exported
    QList<OtlpHeader> headers;
    milliseconds timeout{10'000};    // per export request
    int batchSize = 512;             // traced requests per export request
    int queueSize = 2048;            // traced requests waiting for export; more are dropped, counted
};

// Capture of traced requests for the workbench's Replay: unredacted target and fields and the
// first maxBodyBytes of both bodies, kept only in records sent to traceBatch receivers.
struct CaptureSettings
{
    bool enabled = false;              // the workbench turns it on for its embedded gateway
    qint64 maxBodyBytes = 64 * 1024;   // per body (request, response); more is counted, not kept
};

struct TracingSettings
{
    bool enabled = true;
    double samplingRatio = 1.0;      // used when the caller sent no valid traceparent
    bool serverTiming = false;       // per-phase durations in a Server-Timing response header
    QString serviceName = QStringLiteral("gatehouse");
    OtlpSettings otlp;
    int ringBufferCapacity = 2000;   // traced requests a worker keeps for the engine; 0 = none
    CaptureSettings capture;
};

enum class AccessLogFormat { Json = 1, Combined };

struct AccessLogSettings
{
    bool enabled = false;
    QString path;                    // empty or "-" = stdout
    AccessLogFormat format = AccessLogFormat::Json;
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

// A policy package installed from a hub into policies/NAME/ (gatehouse.yaml `policyPackages:`),
// pinned by version and checksum: a package whose files no longer match is refused.
struct PolicyPackagePin
{
    QString name;
    QString version;
    QString sha256;
    SourceLocation location;
};

struct ProjectSettings
{
    int schemaVersion = 1;
    QString name;                    // default: empty, callers show the folder name
    Listeners listeners;
    int workers = 0;                 // 0 = one per core
    Limits limits;
    UpstreamSettings upstream;
    SecuritySettings security;
    ThrottlingSettings throttling;
    TelemetrySettings telemetry;
    HubSettings hub;
    QList<PolicyPackagePin> policyPackages;
    QMap<QString, QList<QUrl>> grpcEndpoints;         // "pkg.Service" -> upstream URLs
    QMap<QString, SourceLocation> grpcEndpointLocations;
    // grpc.cors: CORS for every gRPC method (browsers' gRPC-Web calls), preflights included.
    std::optional<CorsSettings> grpcCors;
    QString file;                    // "gatehouse.yaml", or empty when defaults apply
};

// Defaults for a project without gatehouse.yaml (listeners, starter tiers, self issuer).
ProjectSettings defaultProjectSettings();

// Reads <projectDir>/gatehouse.yaml (or .yml), merged over the defaults and validated. A missing file
// gives the defaults with `file` empty. Never throws; problems become diagnostics at file:line:col and
// the returned settings hold whatever was understood (defaults elsewhere).
ProjectSettings loadProjectSettings(const QString &projectDir, Diagnostics &diagnostics);

// The same from bytes, for editors (unsaved text) and the fuzzer. Relative files are checked
// against projectDir; an empty projectDir skips file existence checks.
ProjectSettings loadProjectSettingsFromBytes(const QByteArray &yaml, const QString &projectDir,
                                             const QString &displayPath, Diagnostics &diagnostics);

} // namespace Gatehouse
