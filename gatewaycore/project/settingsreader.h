// Typed, diagnosing access to the YAML tree of gatehouse.yaml: maps with merge keys resolved and
// unknown keys reported, and one reader per kind of value (numbers, durations, files, secrets ...).
#pragma once

#include "projectsettings.h"

#include <yaml-cpp/yaml.h>

#include <QSet>

#include <optional>
#include <utility>

namespace Gatehouse {

// One `key: value` of a map (or one item of a sequence), with the dotted path used in messages.
struct SettingsField
{
    QString key;
    QString path;          // "listeners.http.port", "security.issuers[0]"
    YAML::Node keyNode;    // invalid for sequence items and for the document root
    YAML::Node value;
};

// The entries of one YAML map after merge keys (`<<: *anchor`) were resolved: explicit keys first,
// then merged ones that the map did not set itself, as YAML 1.1 specifies.
class SettingsMap
{
public:
    const SettingsField *find(QStringView key) const;
    bool contains(QStringView key) const { return find(key) != nullptr; }
    const QList<SettingsField> &fields() const { return m_fields; }
    const YAML::Node &node() const { return m_node; }
    const QString &path() const { return m_path; }

private:
    friend class SettingsReader;
    QList<SettingsField> m_fields;
    YAML::Node m_node;
    QString m_path;
};

// Whether a configured file must exist when the project is loaded.
enum class FileCheck { MustExist = 1, GeneratedOnFirstRun };

template<typename E>
using EnumChoices = QList<std::pair<QString, E>>;

class SettingsReader
{
public:
    // projectDir may be empty: file existence is then not checked (bytes loaded without a folder).
    SettingsReader(QString projectDir, QString displayPath, Diagnostics &diagnostics);

    const QString &projectDir() const { return m_projectDir; }
    const QString &displayPath() const { return m_displayPath; }
    SourceLocation locationOf(const YAML::Node &node) const;
    // The value's place; for an empty value (`key:`) the key's, since yaml-cpp marks nulls oddly.
    SourceLocation locationOf(const SettingsField &field) const;

    // Identical diagnostics (same place, same text) are reported once: a merged anchor is read once
    // per map that merges it.
    void error(const SourceLocation &where, const QString &message);
    void warning(const SourceLocation &where, const QString &message);
    void error(const SettingsField &field, const QString &message) { error(locationOf(field), message); }
    void warning(const SettingsField &field, const QString &message) { warning(locationOf(field), message); }

    SettingsField root(const YAML::Node &document) const;
    // The map at `field` (an empty value is an empty map). Keys outside knownKeys are warned about
    // with a suggestion; keys starting with "x-" are free for the user (anchors, notes). nullopt,
    // after an error, when the value is not a map.
    std::optional<SettingsMap> map(const SettingsField &field, const QStringList &knownKeys);
    // A map whose keys are names chosen by the user (tiers, gRPC services): no unknown-key check.
    std::optional<SettingsMap> namedMap(const SettingsField &field);
    // The items of a sequence, paths "field[0]" ...; an empty value is an empty sequence.
    std::optional<QList<SettingsField>> sequence(const SettingsField &field);

    // Typed readers: on success they store into `out` and return true; otherwise they report one
    // diagnostic at the value and leave `out` untouched (so the default stays).
    bool readBool(const SettingsField &field, bool &out);
    bool readInt(const SettingsField &field, qint64 min, qint64 max, qint64 &out);
    template<typename T>
    bool readInt(const SettingsField &field, qint64 min, qint64 max, T &out)
    {
        qint64 value = 0;
        if (!readInt(field, min, max, value))
            return false;
        out = T(value);
        return true;
    }
    bool readDouble(const SettingsField &field, double min, double max, double &out);
    bool readString(const SettingsField &field, QString &out, bool allowEmpty = false);
    bool readStringList(const SettingsField &field, QStringList &out);   // a string or a sequence
    bool readDuration(const SettingsField &field, milliseconds min, milliseconds &out);
    bool readSeconds(const SettingsField &field, seconds min, seconds &out);   // whole seconds only
    bool readSize(const SettingsField &field, qint64 min, qint64 &out);
    bool readSecret(const SettingsField &field, SecretRef &out);   // warns about literal secrets
    bool readFile(const SettingsField &field, FileCheck check, QString &out);
    bool readUrl(const SettingsField &field, const QStringList &schemes, QUrl &out);
    template<typename E>
    bool readEnum(const SettingsField &field, const EnumChoices<E> &choices, E &out)
    {
        QStringList names;
        for (const auto &choice : choices)
            names.append(choice.first);
        const int index = readChoice(field, names);
        if (index < 0)
            return false;
        out = choices.at(index).second;
        return true;
    }
    // Index of the value in `names`, or -1 after an error listing the allowed values.
    int readChoice(const SettingsField &field, const QStringList &names);

    // Checks a path that did not come from a field (an import, a default) the same way.
    bool fileExists(const QString &path) const;
    QString absolutePath(const QString &path) const;

    // "a map", "a sequence", "null", "the string 'x'", "the number 5", "the boolean true".
    static QString describe(const YAML::Node &node);

private:
    void report(Severity severity, const SourceLocation &where, const QString &message);
    std::optional<QString> scalarText(const SettingsField &field, const QString &expected);
    bool collect(const YAML::Node &node, const QString &path, int depth, QList<SettingsField> &out);
    void typeError(const SettingsField &field, const QString &expected);

    QString m_projectDir;
    QString m_displayPath;
    Diagnostics &m_diagnostics;
    QSet<QString> m_reported;
};

} // namespace Gatehouse
