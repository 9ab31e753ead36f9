// gatehouse.yaml `throttling:` (tiers, MGW imports, the Redis store), `telemetry:` and `hub:`.
#include "settingssections.h"

#include "mgwpolicies.h"
#include "settingsvalues.h"

#include <QRegularExpression>

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
    if (const SettingsField *f = map->find(u"tracing")) {
        const auto tracing = r.map(*f, {
            QStringLiteral("enabled"), QStringLiteral("sampleRatio"), QStringLiteral("otlpEndpoint"),
            QStringLiteral("serviceName"), QStringLiteral("exportTimeout"), QStringLiteral("maxQueueSize"),
            QStringLiteral("serverTimingHeader"), QStringLiteral("ringBufferSize")});
        TracingSettings &t = out.tracing;
        if (tracing) {
            if (const SettingsField *g = tracing->find(u"enabled"))
                r.readBool(*g, t.enabled);
            if (const SettingsField *g = tracing->find(u"sampleRatio"))
                r.readDouble(*g, 0.0, 1.0, t.sampleRatio);
            if (const SettingsField *g = tracing->find(u"otlpEndpoint"))
                r.readUrl(*g, {QStringLiteral("http"), QStringLiteral("https")}, t.otlpEndpoint);
            if (const SettingsField *g = tracing->find(u"serviceName"))
                r.readString(*g, t.serviceName);
            if (const SettingsField *g = tracing->find(u"exportTimeout"))
                r.readDuration(*g, milliseconds(1), t.exportTimeout);
            if (const SettingsField *g = tracing->find(u"maxQueueSize"))
                r.readInt(*g, 1, 1'000'000, t.maxQueueSize);
            if (const SettingsField *g = tracing->find(u"serverTimingHeader"))
                r.readBool(*g, t.serverTimingHeader);
            if (const SettingsField *g = tracing->find(u"ringBufferSize"))
                r.readInt(*g, 0, 1'000'000, t.ringBufferSize);
        }
    }
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
