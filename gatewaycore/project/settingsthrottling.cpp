// gatehouse.yaml `throttling:` (tiers, MGW imports, the Redis store), `telemetry:` and `hub:`.
#include "settingssections.h"

#include "mgwpolicies.h"
#include "settingsvalues.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace Gatehouse::SettingsSections {

namespace {

bool readTier(SettingsReader &r, const SettingsField &field, ThrottleTier &tier)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("count"), QStringLiteral("unit"), QStringLiteral("unitTime"), QStringLiteral("burst"),
        QStringLiteral("stopOnQuotaReach"), QStringLiteral("description")});
    if (!map)
        return false;
    tier.name = field.key;
    tier.location = r.locationOf(field.keyNode);
    bool ok = true;
    if (const SettingsField *f = map->find(u"count")) {
        qint64 count = 0;
        if (r.readInt(*f, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), count)) {
            if (count <= 0) {
                r.error(*f, QStringLiteral("tier '%1' must allow at least 1 request, found count %2; use the "
                                           "reserved tier 'Unlimited' for no limit").arg(tier.name).arg(count));
                ok = false;
            }
            tier.count = count;
        } else {
            ok = false;
        }
    } else {
        r.error(field, QStringLiteral("tier '%1' needs 'count', the requests allowed per unit").arg(tier.name));
        ok = false;
    }
    if (const SettingsField *f = map->find(u"unit")) {
        ok = r.readEnum(*f, EnumChoices<TimeUnit>{{QStringLiteral("second"), TimeUnit::Second},
                                                  {QStringLiteral("minute"), TimeUnit::Minute},
                                                  {QStringLiteral("hour"), TimeUnit::Hour},
                                                  {QStringLiteral("day"), TimeUnit::Day}},
                        tier.unit) && ok;
    }
    if (const SettingsField *f = map->find(u"unitTime"))
        ok = r.readInt(*f, 1, 1'000'000, tier.unitTime) && ok;
    if (const SettingsField *f = map->find(u"burst"))
        ok = r.readInt(*f, 0, std::numeric_limits<qint64>::max(), tier.burst) && ok;
    if (const SettingsField *f = map->find(u"stopOnQuotaReach"))
        ok = r.readBool(*f, tier.stopOnQuotaReach) && ok;
    if (const SettingsField *f = map->find(u"description"))
        r.readString(*f, tier.description, true);
    return ok;
}

void readImports(SettingsReader &r, const SettingsField &field, ThrottlingSettings &out,
                 QMap<QString, ThrottleTier> &imported)
{
    QStringList files;
    if (!r.readStringList(field, files))
        return;
    for (const QString &file : files) {
        if (!r.fileExists(file)) {
            r.error(field, QStringLiteral("file '%1' for '%2' does not exist (relative paths start at the "
                                          "project folder)").arg(file, field.path));
            continue;
        }
        out.imports.append(file);
        if (r.projectDir().isEmpty())
            continue;   // bytes loaded without a folder: nothing to read
        // The imported file's own problems are reported against it, not against gatehouse.yaml.
        Diagnostics fileDiagnostics;
        const QList<ThrottleTier> tiers = importMgwPolicies(r.absolutePath(file), file, fileDiagnostics);
        for (const Diagnostic &d : fileDiagnostics.items())
            d.severity == Severity::Error ? r.error(d.location, d.message) : r.warning(d.location, d.message);
        for (const ThrottleTier &tier : tiers) {
            if (imported.contains(tier.name)) {
                r.error(tier.location, QStringLiteral("tier '%1' is also imported from %2")
                                           .arg(tier.name, imported.value(tier.name).location.toString()));
                continue;
            }
            imported.insert(tier.name, tier);
        }
    }
}

} // namespace

void readThrottling(SettingsReader &r, const SettingsField &field, ThrottlingSettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("store"), QStringLiteral("redisPassword"), QStringLiteral("storeTimeout"),
        QStringLiteral("onStoreFailure"), QStringLiteral("headers"), QStringLiteral("starterTiers"),
        QStringLiteral("import"), QStringLiteral("tiers"), QStringLiteral("unauthenticatedTier")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"store")) {
        QString store;
        if (r.readString(*f, store)) {
            if (store == u"local") {
                out.store = store;
                out.redis = {};
            } else if (store.startsWith(u"redis://")) {
                const Result<RedisStore> redis = SettingsValues::parseRedisUrl(store);
                if (redis) {
                    out.store = store;
                    out.redis = *redis;
                } else {
                    r.error(*f, redis.error().message);
                }
            } else {
                r.error(*f, QStringLiteral("'%1' must be 'local' or a redis://host[:port][/db] URL, found '%2'")
                                .arg(f->path, store));
            }
        }
    }
    if (const SettingsField *f = map->find(u"redisPassword"))
        r.readSecret(*f, out.redisPassword);
    if (const SettingsField *f = map->find(u"storeTimeout"))
        r.readDuration(*f, milliseconds(1), out.storeTimeout);
    if (const SettingsField *f = map->find(u"onStoreFailure")) {
        r.readEnum(*f, EnumChoices<StoreFailureMode>{{QStringLiteral("open"), StoreFailureMode::Open},
                                                     {QStringLiteral("closed"), StoreFailureMode::Closed}},
                   out.onStoreFailure);
    }
    if (const SettingsField *f = map->find(u"headers")) {
        r.readEnum(*f, EnumChoices<RateLimitHeaders>{{QStringLiteral("ietf"), RateLimitHeaders::Ietf},
                                                     {QStringLiteral("x-ratelimit"), RateLimitHeaders::XRateLimit},
                                                     {QStringLiteral("none"), RateLimitHeaders::None}},
                   out.headers);
    }
    bool starterTiers = true;
    if (const SettingsField *f = map->find(u"starterTiers"))
        r.readBool(*f, starterTiers);
    if (!starterTiers) {
        const ThrottleTier unlimited = out.tiers.value(kUnlimitedTier.toString());
        out.tiers.clear();
        out.tiers.insert(unlimited.name, unlimited);
    }

    // Imported and written tiers replace starter tiers of the same name, but not each other: two
    // definitions of one tier in the same project are a mistake.
    QMap<QString, ThrottleTier> imported;
    if (const SettingsField *f = map->find(u"import"))
        readImports(r, *f, out, imported);
    for (const ThrottleTier &tier : std::as_const(imported))
        out.tiers.insert(tier.name, tier);

    if (const SettingsField *f = map->find(u"tiers")) {
        static const QRegularExpression tierName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
        const std::optional<SettingsMap> tiers = r.namedMap(*f);
        for (const SettingsField &entry : tiers ? tiers->fields() : QList<SettingsField>()) {
            const SourceLocation nameAt = r.locationOf(entry.keyNode);
            if (entry.key == kUnlimitedTier) {
                r.error(nameAt, QStringLiteral("'Unlimited' is a reserved tier and cannot be redefined"));
                continue;
            }
            if (!tierName.match(entry.key).hasMatch()) {
                r.error(nameAt, QStringLiteral("tier name '%1' may hold only letters, digits, '_', '.' and '-'")
                                    .arg(entry.key));
                continue;
            }
            if (imported.contains(entry.key)) {
                r.error(nameAt, QStringLiteral("tier '%1' is already imported from %2")
                                    .arg(entry.key, imported.value(entry.key).location.toString()));
                continue;
            }
            ThrottleTier tier;
            if (readTier(r, entry, tier))
                out.tiers.insert(tier.name, tier);
        }
    }

    if (const SettingsField *f = map->find(u"unauthenticatedTier")) {
        QString name;
        if (r.readString(*f, name)) {
            if (out.tiers.contains(name)) {
                out.unauthenticatedTier = name;
            } else {
                r.error(*f, QStringLiteral("unknown throttling tier '%1' (known: %2)")
                                .arg(name, out.tiers.keys().join(QStringLiteral(", "))));
            }
        }
    }
}

namespace {

void readOtlp(SettingsReader &r, const SettingsField &field, OtlpSettings &out)
{
    const auto otlp = r.map(field, {QStringLiteral("endpoint"), QStringLiteral("headers"), QStringLiteral("timeout"),
                                    QStringLiteral("batchSize"), QStringLiteral("queueSize")});
    if (!otlp)
        return;
    if (const SettingsField *g = otlp->find(u"endpoint"))
        r.readUrl(*g, {QStringLiteral("http"), QStringLiteral("https")}, out.endpoint);
    if (const SettingsField *g = otlp->find(u"headers")) {
        if (const auto headers = r.namedMap(*g)) {
            for (const SettingsField &h : headers->fields()) {
                static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
                if (!token.match(h.key).hasMatch()) {
                    r.error(r.locationOf(h.keyNode), QStringLiteral("'%1' is not a valid HTTP header name").arg(h.key));
                    continue;
                }
                QString text;
                if (!r.readString(h, text, true))
                    continue;
                Result<SecretRef> value = SettingsValues::parseSecretRef(text);
                if (!value) {
                    r.error(h, QStringLiteral("invalid value for '%1': %2").arg(h.path, value.error().message));
                    continue;
                }
                const bool controls = std::any_of(text.cbegin(), text.cend(), [](QChar c) {
                    return (c.unicode() < 0x20 && c != QLatin1Char('\t')) || c.unicode() == 0x7f;
                });
                if (controls) {
                    r.error(h, QStringLiteral("'%1' must not contain control characters").arg(h.path));
                    continue;
                }
                value->location = r.locationOf(h);
                out.headers.append({h.key, *value});
            }
        }
    }
    if (const SettingsField *g = otlp->find(u"timeout"))
        r.readDuration(*g, milliseconds(1), out.timeout);
    if (const SettingsField *g = otlp->find(u"batchSize"))
        r.readInt(*g, 1, 100'000, out.batchSize);
    if (const SettingsField *g = otlp->find(u"queueSize"))
        r.readInt(*g, 1, 1'000'000, out.queueSize);
    if (out.queueSize < out.batchSize) {
        if (const SettingsField *g = otlp->find(u"queueSize")) {
            r.error(*g, QStringLiteral("'%1' (%2) must be at least batchSize (%3)")
                            .arg(g->path).arg(out.queueSize).arg(out.batchSize));
        }
    }
}

// telemetry.tracing. The flat keys of earlier versions (sampleRatio, serverTimingHeader,
// otlpEndpoint, exportTimeout, maxQueueSize, ringBufferSize) are still read.
void readTracing(SettingsReader &r, const SettingsField &field, TracingSettings &t)
{
    const auto tracing = r.map(field, {
        QStringLiteral("enabled"), QStringLiteral("samplingRatio"), QStringLiteral("serverTiming"),
        QStringLiteral("serviceName"), QStringLiteral("otlp"), QStringLiteral("ringBuffer"),
        QStringLiteral("capture"), QStringLiteral("sampleRatio"), QStringLiteral("serverTimingHeader"), QStringLiteral("otlpEndpoint"),
        QStringLiteral("exportTimeout"), QStringLiteral("maxQueueSize"), QStringLiteral("ringBufferSize")});
    if (!tracing)
        return;
    if (const SettingsField *g = tracing->find(u"enabled"))
        r.readBool(*g, t.enabled);
    for (const auto key : {u"samplingRatio", u"sampleRatio"}) {
        if (const SettingsField *g = tracing->find(key))
            r.readDouble(*g, 0.0, 1.0, t.samplingRatio);
    }
    for (const auto key : {u"serverTiming", u"serverTimingHeader"}) {
        if (const SettingsField *g = tracing->find(key))
            r.readBool(*g, t.serverTiming);
    }
    if (const SettingsField *g = tracing->find(u"serviceName"))
        r.readString(*g, t.serviceName);
    if (const SettingsField *g = tracing->find(u"otlpEndpoint"))
        r.readUrl(*g, {QStringLiteral("http"), QStringLiteral("https")}, t.otlp.endpoint);
    if (const SettingsField *g = tracing->find(u"exportTimeout"))
        r.readDuration(*g, milliseconds(1), t.otlp.timeout);
    if (const SettingsField *g = tracing->find(u"maxQueueSize"))
        r.readInt(*g, 1, 1'000'000, t.otlp.queueSize);
    if (const SettingsField *g = tracing->find(u"otlp"))
        readOtlp(r, *g, t.otlp);
    if (const SettingsField *g = tracing->find(u"ringBufferSize"))
        r.readInt(*g, 0, 1'000'000, t.ringBufferCapacity);
    if (const SettingsField *g = tracing->find(u"ringBuffer")) {
        if (const auto ring = r.map(*g, {QStringLiteral("capacity")})) {
            if (const SettingsField *c = ring->find(u"capacity"))
                r.readInt(*c, 0, 1'000'000, t.ringBufferCapacity);
        }
    }
    if (const SettingsField *g = tracing->find(u"capture")) {
        if (const auto capture = r.map(*g, {QStringLiteral("enabled"), QStringLiteral("maxBodyBytes")})) {
            if (const SettingsField *c = capture->find(u"enabled"))
                r.readBool(*c, t.capture.enabled);
            if (const SettingsField *c = capture->find(u"maxBodyBytes"))
                r.readInt(*c, 1, 16 * 1024 * 1024, t.capture.maxBodyBytes);
        }
    }
}

} // namespace

void readTelemetry(SettingsReader &r, const SettingsField &field, TelemetrySettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {QStringLiteral("metrics"), QStringLiteral("tracing"),
                                                         QStringLiteral("accessLog")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"metrics")) {
        if (const auto metrics = r.map(*f, {QStringLiteral("enabled")})) {
            if (const SettingsField *g = metrics->find(u"enabled"))
                r.readBool(*g, out.metricsEnabled);
        }
    }
    if (const SettingsField *f = map->find(u"tracing"))
        readTracing(r, *f, out.tracing);
    if (const SettingsField *f = map->find(u"accessLog")) {
        if (const auto log = r.map(*f, {QStringLiteral("enabled"), QStringLiteral("path"), QStringLiteral("format")})) {
            if (const SettingsField *g = log->find(u"enabled"))
                r.readBool(*g, out.accessLog.enabled);
            if (const SettingsField *g = log->find(u"path"))
                r.readString(*g, out.accessLog.path);
            if (const SettingsField *g = log->find(u"format")) {
                r.readEnum(*g, EnumChoices<AccessLogFormat>{{QStringLiteral("json"), AccessLogFormat::Json},
                                                            {QStringLiteral("combined"), AccessLogFormat::Combined}},
                           out.accessLog.format);
            }
        }
    }
}

void readHub(SettingsReader &r, const SettingsField &field, HubSettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {QStringLiteral("path")});
    if (!map)
        return;
    // Not checked for existence: the hub folder is created when the first package is installed.
    if (const SettingsField *f = map->find(u"path"))
        r.readString(*f, out.path);
}

} // namespace Gatehouse::SettingsSections
