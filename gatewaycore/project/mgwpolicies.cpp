// Import of WSO2 API Microgateway 3.x throttling policies (policies.yaml) as Gatehouse tiers.
#include "mgwpolicies.h"

#include "settingsreader.h"
#include "yamlfile.h"

#include <QFile>

#include <limits>

namespace Gatehouse {

namespace {

// MGW wrote units several ways over its releases ("min", "minute", "m"); all map to one TimeUnit.
std::optional<TimeUnit> mgwTimeUnit(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"s" || t == u"sec" || t == u"second" || t == u"seconds")
        return TimeUnit::Second;
    if (t == u"m" || t == u"min" || t == u"minute" || t == u"minutes")
        return TimeUnit::Minute;
    if (t == u"h" || t == u"hour" || t == u"hours")
        return TimeUnit::Hour;
    if (t == u"d" || t == u"day" || t == u"days")
        return TimeUnit::Day;
    return std::nullopt;
}

class Importer
{
public:
    Importer(const QString &displayPath, Diagnostics &diagnostics) : m_reader(QString(), displayPath, diagnostics) {}

    void readDocument(const YAML::Node &document)
    {
        const SettingsField root = m_reader.root(document);
        if (document.IsSequence()) {
            readPolicyList(root, QStringLiteral("MGW policy"));
            return;
        }
        if (!document.IsMap()) {
            m_reader.error(m_reader.locationOf(document),
                           QStringLiteral("%1 must hold resourcePolicies, applicationPolicies or "
                                          "subscriptionPolicies, found %2")
                               .arg(m_reader.displayPath(), SettingsReader::describe(document)));
            return;
        }
        const std::optional<SettingsMap> map = m_reader.map(root, {QStringLiteral("resourcePolicies"),
                                                                   QStringLiteral("applicationPolicies"),
                                                                   QStringLiteral("subscriptionPolicies")});
        if (!map)
            return;
        if (const SettingsField *f = map->find(u"resourcePolicies"))
            readPolicyList(*f, QStringLiteral("MGW resource policy"));
        if (const SettingsField *f = map->find(u"applicationPolicies"))
            readPolicyList(*f, QStringLiteral("MGW application policy"));
        if (const SettingsField *f = map->find(u"subscriptionPolicies"))
            readPolicyList(*f, QStringLiteral("MGW subscription policy"));
    }

    QList<ThrottleTier> tiers() const { return m_tiers; }

private:
    // Each section is a list of one-entry maps (`- Gold: {...}`); a plain map is accepted too.
    void readPolicyList(const SettingsField &field, const QString &description)
    {
        if (field.value.IsMap()) {
            if (const std::optional<SettingsMap> map = m_reader.namedMap(field)) {
                for (const SettingsField &policy : map->fields())
                    readPolicy(policy, description);
            }
            return;
        }
        const std::optional<QList<SettingsField>> items = m_reader.sequence(field);
        if (!items)
            return;
        for (const SettingsField &item : *items) {
            const std::optional<SettingsMap> entry = m_reader.namedMap(item);
            if (!entry)
                continue;
            if (entry->fields().size() != 1) {
                m_reader.error(item, QStringLiteral("each entry of '%1' names one policy, such as "
                                                    "'- Gold: {count: 5000, unitTime: 1, timeUnit: min}'")
                                         .arg(field.path));
                continue;
            }
            readPolicy(entry->fields().first(), description);
        }
    }

    void readPolicy(const SettingsField &field, const QString &description)
    {
        const SourceLocation nameAt = m_reader.locationOf(field.keyNode);
        if (field.key == kUnlimitedTier) {
            m_reader.warning(nameAt, QStringLiteral("policy 'Unlimited' skipped: Gatehouse has it built in"));
            return;
        }
        if (field.key.trimmed().isEmpty()) {
            m_reader.error(nameAt, QStringLiteral("a policy needs a name"));
            return;
        }
        const std::optional<SettingsMap> map = m_reader.map(field, {
            QStringLiteral("count"), QStringLiteral("unitTime"), QStringLiteral("timeUnit"),
            QStringLiteral("stopOnQuotaReach")});
        if (!map)
            return;
        ThrottleTier tier;
        tier.name = field.key;
        tier.description = description;
        tier.location = nameAt;
        bool ok = true;
        if (const SettingsField *f = map->find(u"count")) {
            if (m_reader.readInt(*f, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(),
                                 tier.count)) {
                if (tier.count <= 0) {
                    m_reader.error(*f, QStringLiteral("policy '%1' must allow at least 1 request, found count %2")
                                           .arg(tier.name).arg(tier.count));
                    ok = false;
                }
            } else {
                ok = false;
            }
        } else {
            m_reader.error(field, QStringLiteral("policy '%1' needs 'count'").arg(tier.name));
            ok = false;
        }
        if (const SettingsField *f = map->find(u"unitTime"))
            ok = m_reader.readInt(*f, 1, 1'000'000, tier.unitTime) && ok;
        if (const SettingsField *f = map->find(u"timeUnit")) {
            QString text;
            if (m_reader.readString(*f, text)) {
                if (const std::optional<TimeUnit> unit = mgwTimeUnit(text)) {
                    tier.unit = *unit;
                } else {
                    m_reader.error(*f, QStringLiteral("unknown value '%1' for '%2' (allowed: sec, min, hour, "
                                                      "day)").arg(text, f->path));
                    ok = false;
                }
            } else {
                ok = false;
            }
        } else {
            m_reader.error(field, QStringLiteral("policy '%1' needs 'timeUnit' (sec, min, hour or day)")
                                      .arg(tier.name));
            ok = false;
        }
        if (const SettingsField *f = map->find(u"stopOnQuotaReach"))
            ok = m_reader.readBool(*f, tier.stopOnQuotaReach) && ok;
        if (!ok)
            return;
        for (const ThrottleTier &earlier : std::as_const(m_tiers)) {
            if (earlier.name == tier.name) {
                m_reader.error(nameAt, QStringLiteral("policy '%1' is defined twice (first at line %2); "
                                                      "Gatehouse tiers share one name space")
                                           .arg(tier.name).arg(earlier.location.line));
                return;
            }
        }
        m_tiers.append(tier);
    }

    SettingsReader m_reader;
    QList<ThrottleTier> m_tiers;
};

} // namespace

QList<ThrottleTier> importMgwPoliciesFromBytes(const QByteArray &yaml, const QString &displayPath,
                                               Diagnostics &diagnostics)
{
    try {
        const std::optional<YAML::Node> document = parseYaml(yaml, displayPath, diagnostics);
        if (!document || document->IsNull())
            return {};
        Importer importer(displayPath, diagnostics);
        importer.readDocument(*document);
        return importer.tiers();
    } catch (const std::exception &e) {
        diagnostics.error({displayPath, 0, 0},
                          QStringLiteral("internal error while reading: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    return {};
}

QList<ThrottleTier> importMgwPolicies(const QString &file, const QString &displayPath, Diagnostics &diagnostics)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        diagnostics.error({displayPath, 0, 0}, QStringLiteral("cannot read file: %1").arg(f.errorString()));
        return {};
    }
    return importMgwPoliciesFromBytes(f.readAll(), displayPath, diagnostics);
}

} // namespace Gatehouse
