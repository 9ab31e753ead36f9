// gatehouse.yaml: the defaults (listeners, MGW's starter tiers, the API-key issuer) and the loader that
// merges the file over them. Sections are read in settings*.cpp.
#include "projectsettings.h"

#include "settingssections.h"
#include "yamlfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>

namespace Gatehouse {

namespace {

ThrottleTier starterTier(const QString &name, qint64 count, const QString &description)
{
    ThrottleTier tier;
    tier.name = name;
    tier.count = count;
    tier.unit = TimeUnit::Minute;
    tier.description = description;
    return tier;
}

// policyPackages: [{name, version, sha256}] as `gatehoused policy install` writes it.
void readPolicyPackages(SettingsReader &r, const SettingsField &field, QList<PolicyPackagePin> &out)
{
    const std::optional<QList<SettingsField>> items = r.sequence(field);
    if (!items)
        return;
    for (const SettingsField &item : *items) {
        const std::optional<SettingsMap> map = r.map(item, {QStringLiteral("name"), QStringLiteral("version"),
                                                             QStringLiteral("sha256")});
        if (!map)
            continue;
        PolicyPackagePin pin;
        pin.location = r.locationOf(item);
        const SettingsField *name = map->find(u"name");
        const SettingsField *version = map->find(u"version");
        const SettingsField *sha = map->find(u"sha256");
        if (!name || !version || !sha) {
            r.error(item, QStringLiteral("a pinned package needs name, version and sha256 (as `gatehoused policy install` "
                                         "writes them)"));
            continue;
        }
        if (!r.readString(*name, pin.name) || !r.readString(*version, pin.version) || !r.readString(*sha, pin.sha256))
            continue;
        for (const PolicyPackagePin &other : std::as_const(out)) {
            if (other.name == pin.name)
                r.error(*name, QStringLiteral("package '%1' is pinned twice").arg(pin.name));
        }
        out.append(pin);
    }
}

void readDocument(SettingsReader &r, const YAML::Node &document, ProjectSettings &settings)
{
    using namespace SettingsSections;
    const SettingsField root = r.root(document);
    if (!document.IsMap()) {
        r.error(r.locationOf(document), QStringLiteral("%1 must be a map of settings (listeners:, security:, "
                                                       "throttling: ...), found %2")
                                            .arg(r.displayPath(), SettingsReader::describe(document)));
        return;
    }
    const std::optional<SettingsMap> map = r.map(root, {
        QStringLiteral("version"), QStringLiteral("name"), QStringLiteral("workers"), QStringLiteral("listeners"),
        QStringLiteral("limits"), QStringLiteral("upstream"), QStringLiteral("security"),
        QStringLiteral("throttling"), QStringLiteral("telemetry"), QStringLiteral("hub"), QStringLiteral("grpc"),
        QStringLiteral("policyPackages")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"version")) {
        qint64 version = 0;
        if (r.readInt(*f, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), version)) {
            if (version != 1) {
                r.error(*f, QStringLiteral("unsupported version %1: this Gatehouse understands version 1")
                                .arg(version));
                return;   // the rest would be read with the wrong rules
            }
        }
    }
    if (const SettingsField *f = map->find(u"name"))
        r.readString(*f, settings.name);
    if (const SettingsField *f = map->find(u"workers"))
        r.readInt(*f, 0, 1024, settings.workers);
    if (const SettingsField *f = map->find(u"listeners"))
        readListeners(r, *f, settings.listeners);
    if (const SettingsField *f = map->find(u"limits"))
        readLimits(r, *f, settings.limits);
    if (const SettingsField *f = map->find(u"upstream"))
        readUpstream(r, *f, settings.upstream);
    if (const SettingsField *f = map->find(u"security"))
        readSecurity(r, *f, settings.security);
    if (const SettingsField *f = map->find(u"throttling"))
        readThrottling(r, *f, settings.throttling);
    if (const SettingsField *f = map->find(u"telemetry"))
        readTelemetry(r, *f, settings.telemetry);
    if (const SettingsField *f = map->find(u"hub"))
        readHub(r, *f, settings.hub);
    if (const SettingsField *f = map->find(u"grpc"))
        readGrpc(r, *f, settings);
    if (const SettingsField *f = map->find(u"policyPackages"))
        readPolicyPackages(r, *f, settings.policyPackages);
}

} // namespace

QString SecretRef::toString() const
{
    if (!envName.isEmpty())
        return QStringLiteral("${env:%1}").arg(envName);
    if (!filePath.isEmpty())
        return QStringLiteral("${file:%1}").arg(filePath);
    return literal;
}

QString timeUnitName(TimeUnit unit)
{
    switch (unit) {
    case TimeUnit::Second: return QStringLiteral("second");
    case TimeUnit::Minute: return QStringLiteral("minute");
    case TimeUnit::Hour: return QStringLiteral("hour");
    case TimeUnit::Day: return QStringLiteral("day");
    }
    return QStringLiteral("minute");
}

seconds timeUnitDuration(TimeUnit unit)
{
    switch (unit) {
    case TimeUnit::Second: return seconds(1);
    case TimeUnit::Minute: return seconds(60);
    case TimeUnit::Hour: return seconds(3600);
    case TimeUnit::Day: return seconds(86400);
    }
    return seconds(60);
}

ProjectSettings defaultProjectSettings()
{
    ProjectSettings s;
    s.listeners.http.address = QStringLiteral("0.0.0.0");
    s.listeners.http.port = 9090;
    s.listeners.https.address = QStringLiteral("0.0.0.0");
    s.listeners.https.port = 9095;
    s.listeners.admin.address = QStringLiteral("127.0.0.1");
    s.listeners.admin.port = 9096;

    // MGW 3.x's default policies (its CLI's built-in policy set and policies.yaml), all per minute,
    // so projects imported from MGW find the tiers their OpenAPI files name.
    const QString resource = QStringLiteral("MGW resource policy");
    const QString application = QStringLiteral("MGW application policy");
    const QString subscription = QStringLiteral("MGW subscription policy");
    const QList<ThrottleTier> tiers{
        starterTier(kUnlimitedTier.toString(), 0, QStringLiteral("No limit (reserved)")),
        starterTier(QStringLiteral("10kPerMin"), 10'000, resource),
        starterTier(QStringLiteral("20kPerMin"), 20'000, resource),
        starterTier(QStringLiteral("50kPerMin"), 50'000, resource),
        starterTier(QStringLiteral("10PerMin"), 10, application),
        starterTier(QStringLiteral("20PerMin"), 20, application),
        starterTier(QStringLiteral("50PerMin"), 50, application),
        starterTier(QStringLiteral("Gold"), 5000, subscription),
        starterTier(QStringLiteral("Silver"), 2000, subscription),
        starterTier(QStringLiteral("Bronze"), 1000, subscription),
        starterTier(QStringLiteral("Unauthenticated"), 500, subscription),
        starterTier(QStringLiteral("Default"), 500, subscription),
    };
    for (const ThrottleTier &tier : tiers)
        s.throttling.tiers.insert(tier.name, tier);
    return s;
}

ProjectSettings loadProjectSettingsFromBytes(const QByteArray &yaml, const QString &projectDir,
                                             const QString &displayPath, Diagnostics &diagnostics)
{
    ProjectSettings settings = defaultProjectSettings();
    settings.file = displayPath;
    try {
        const std::optional<YAML::Node> document = parseYaml(yaml, displayPath, diagnostics);
        if (!document || document->IsNull())
            return settings;   // an empty file means "all defaults"
        SettingsReader reader(projectDir, displayPath, diagnostics);
        ProjectSettings read = settings;
        readDocument(reader, *document, read);
        return read;
    } catch (const std::exception &e) {
        // yaml-cpp throws from accessors on malformed trees; a crash here would take the workbench down.
        diagnostics.error({displayPath, 0, 0},
                          QStringLiteral("internal error while reading: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    return settings;
}

ProjectSettings loadProjectSettings(const QString &projectDir, Diagnostics &diagnostics)
{
    const QDir dir(projectDir);
    const QString yamlName = QStringLiteral("gatehouse.yaml");
    const QString ymlName = QStringLiteral("gatehouse.yml");
    const bool haveYaml = QFileInfo::exists(dir.filePath(yamlName));
    const bool haveYml = QFileInfo::exists(dir.filePath(ymlName));
    if (!haveYaml && !haveYml)
        return defaultProjectSettings();
    if (haveYaml && haveYml)
        diagnostics.warning({ymlName, 0, 0}, QStringLiteral("ignored: gatehouse.yaml is used; delete one of the two"));
    const QString name = haveYaml ? yamlName : ymlName;
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.error({name, 0, 0}, QStringLiteral("cannot read file: %1").arg(file.errorString()));
        ProjectSettings settings = defaultProjectSettings();
        settings.file = name;
        return settings;
    }
    return loadProjectSettingsFromBytes(file.readAll(), projectDir, name, diagnostics);
}

} // namespace Gatehouse
