// Typed, diagnosing access to the YAML tree of gatehouse.yaml; see settingsreader.h.
#include "settingsreader.h"

#include "settingsvalues.h"
#include "yamlfile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>

namespace Gatehouse {

namespace {

// Bounds on merge-key resolution: an anchor can be merged into itself (yaml-cpp builds the cycle),
// and a list of aliases per level multiplies the work, so depth and work are both capped.
constexpr int kMaxMergeDepth = 8;
constexpr int kMaxMergedFields = 4096;

enum class ScalarKind { String = 1, Integer, Float, Bool };

ScalarKind scalarKind(const YAML::Node &node)
{
    const std::string &tag = node.Tag();
    const QString text = QString::fromStdString(node.Scalar());
    // "!" marks a quoted scalar: "9090" in quotes is text, as YAML says.
    if (tag == "!" || tag == "tag:yaml.org,2002:str")
        return ScalarKind::String;
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression real(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (integer.match(text).hasMatch())
        return ScalarKind::Integer;
    if (real.match(text).hasMatch())
        return ScalarKind::Float;
    static const QStringList booleans{QStringLiteral("true"), QStringLiteral("True"),
                                      QStringLiteral("TRUE"), QStringLiteral("false"),
                                      QStringLiteral("False"), QStringLiteral("FALSE")};
    if (booleans.contains(text))
        return ScalarKind::Bool;
    return ScalarKind::String;
}

QString joinSettingsPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString formatDuration(milliseconds ms)
{
    const qint64 n = ms.count();
    if (n % 86'400'000 == 0 && n > 0)
        return QString::number(n / 86'400'000) + u'd';
    if (n % 3'600'000 == 0 && n > 0)
        return QString::number(n / 3'600'000) + u'h';
    if (n % 60'000 == 0 && n > 0)
        return QString::number(n / 60'000) + u'm';
    if (n % 1000 == 0)
        return QString::number(n / 1000) + u's';
    return QString::number(n) + QStringLiteral("ms");
}

} // namespace

const SettingsField *SettingsMap::find(QStringView key) const
{
    for (const SettingsField &field : m_fields) {
        if (field.key == key)
            return &field;
    }
    return nullptr;
}

SettingsReader::SettingsReader(QString projectDir, QString displayPath, Diagnostics &diagnostics)
    : m_projectDir(std::move(projectDir)), m_displayPath(std::move(displayPath)), m_diagnostics(diagnostics)
{
}

SourceLocation SettingsReader::locationOf(const YAML::Node &node) const
{
    return Gatehouse::locationOf(node, m_displayPath);
}

SourceLocation SettingsReader::locationOf(const SettingsField &field) const
{
    if (field.value.IsNull() && !field.keyNode.Mark().is_null())
        return locationOf(field.keyNode);
    return locationOf(field.value);
}

void SettingsReader::report(Severity severity, const SourceLocation &where, const QString &message)
{
    const Diagnostic diagnostic{severity, where, message};
    const QString key = diagnostic.toString();
    if (m_reported.contains(key))
        return;
    m_reported.insert(key);
    m_diagnostics.add(diagnostic);
}

void SettingsReader::error(const SourceLocation &where, const QString &message)
{
    report(Severity::Error, where, message);
}

void SettingsReader::warning(const SourceLocation &where, const QString &message)
{
    report(Severity::Warning, where, message);
}

QString SettingsReader::describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: return QStringLiteral("a map");
    case YAML::NodeType::Sequence: return QStringLiteral("a list");
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return QStringLiteral("an empty value");
    case YAML::NodeType::Scalar: break;
    }
    QString text = QString::fromStdString(node.Scalar());
    switch (scalarKind(node)) {
    case ScalarKind::Integer:
    case ScalarKind::Float: return QStringLiteral("the number %1").arg(text);
    case ScalarKind::Bool: return QStringLiteral("the boolean %1").arg(text);
    case ScalarKind::String: break;
    }
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("...");
    return QStringLiteral("the string '%1'").arg(text);
}

void SettingsReader::typeError(const SettingsField &field, const QString &expected)
{
    error(field, QStringLiteral("expected %1 for '%2', found %3").arg(expected, field.path,
                                                                     describe(field.value)));
}

SettingsField SettingsReader::root(const YAML::Node &document) const
{
    return {QString(), QString(), YAML::Node(), document};
}

bool SettingsReader::collect(const YAML::Node &node, const QString &path, int depth,
                             QList<SettingsField> &out)
{
    if (depth > kMaxMergeDepth) {
        error(locationOf(node), QStringLiteral("merge keys ('<<') nest deeper than %1 levels; is an "
                                               "anchor merged into itself?").arg(kMaxMergeDepth));
        return false;
    }
    QList<YAML::Node> merges;
    const qsizetype firstOwn = out.size();
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
            error(locationOf(key), QStringLiteral("keys must be plain text, found %1").arg(describe(key)));
            continue;
        }
        if (key.Scalar() == "<<" && key.Tag() == "?") {
            merges.append(it->second);
            continue;
        }
        const QString name = QString::fromStdString(key.Scalar());
        const auto previous = std::find_if(out.cbegin() + firstOwn, out.cend(),
                                           [&](const SettingsField &f) { return f.key == name; });
        if (previous != out.cend()) {
            error(locationOf(key), QStringLiteral("duplicate key '%1'%2 (first set at line %3)")
                                       .arg(name, path.isEmpty() ? QString() : QStringLiteral(" in '%1'").arg(path))
                                       .arg(locationOf(previous->keyNode).line));
            continue;
        }
        out.append({name, joinSettingsPath(path, name), key, it->second});
    }
    for (const YAML::Node &merge : merges) {
        QList<YAML::Node> sources;
        if (merge.IsMap()) {
            sources.append(merge);
        } else if (merge.IsSequence()) {
            for (auto it = merge.begin(); it != merge.end(); ++it)
                sources.append(*it);
        }
        for (const YAML::Node &source : sources) {
            if (!source.IsMap()) {
                error(locationOf(source.IsNull() ? merge : source),
                      QStringLiteral("the merge key '<<' needs a map or a list of maps (such as "
                                     "*defaults), found %1").arg(describe(source)));
                continue;
            }
            QList<SettingsField> merged;
            if (!collect(source, path, depth + 1, merged))
                return false;
            for (const SettingsField &field : merged) {
                const bool known = std::any_of(out.cbegin(), out.cend(),
                                               [&](const SettingsField &f) { return f.key == field.key; });
                if (!known)
                    out.append(field);
            }
            if (out.size() > kMaxMergedFields) {
                error(locationOf(merge), QStringLiteral("merge keys ('<<') expand to more than %1 "
                                                        "entries").arg(kMaxMergedFields));
                return false;
            }
        }
        if (sources.isEmpty()) {
            error(locationOf(merge), QStringLiteral("the merge key '<<' needs a map or a list of maps "
                                                    "(such as *defaults), found %1").arg(describe(merge)));
        }
    }
    return true;
}

std::optional<SettingsMap> SettingsReader::namedMap(const SettingsField &field)
{
    SettingsMap map;
    map.m_node = field.value;
    map.m_path = field.path;
    if (field.value.IsNull())
        return map;
    if (!field.value.IsMap()) {
        typeError(field, QStringLiteral("a map"));
        return std::nullopt;
    }
    collect(field.value, field.path, 0, map.m_fields);
    return map;
}

std::optional<SettingsMap> SettingsReader::map(const SettingsField &field, const QStringList &knownKeys)
{
    std::optional<SettingsMap> map = namedMap(field);
    if (!map)
        return map;
    for (const SettingsField &entry : map->fields()) {
        if (knownKeys.contains(entry.key) || entry.key.startsWith(u"x-"))
            continue;
        const QString where = field.path.isEmpty() ? QString() : QStringLiteral(" in '%1'").arg(field.path);
        const QString suggestion = SettingsValues::closestMatch(entry.key, knownKeys);
        const QString hint = !suggestion.isEmpty()
                                 ? QStringLiteral("did you mean '%1'?").arg(suggestion)
                                 : QStringLiteral("known keys: %1").arg(knownKeys.join(QStringLiteral(", ")));
        warning(locationOf(entry.keyNode),
                QStringLiteral("unknown key '%1'%2 (%3)").arg(entry.key, where, hint));
    }
    return map;
}

std::optional<QList<SettingsField>> SettingsReader::sequence(const SettingsField &field)
{
    QList<SettingsField> items;
    if (field.value.IsNull())
        return items;
    if (!field.value.IsSequence()) {
        typeError(field, QStringLiteral("a list"));
        return std::nullopt;
    }
    int index = 0;
    for (auto it = field.value.begin(); it != field.value.end(); ++it, ++index) {
        items.append({QString(), field.path + QStringLiteral("[%1]").arg(index), YAML::Node(), *it});
    }
    return items;
}

std::optional<QString> SettingsReader::scalarText(const SettingsField &field, const QString &expected)
{
    if (!field.value.IsScalar()) {
        typeError(field, expected);
        return std::nullopt;
    }
    return QString::fromStdString(field.value.Scalar());
}

bool SettingsReader::readBool(const SettingsField &field, bool &out)
{
    if (!field.value.IsScalar() || scalarKind(field.value) != ScalarKind::Bool) {
        typeError(field, QStringLiteral("true or false"));
        return false;
    }
    out = QString::fromStdString(field.value.Scalar()).compare(u"true", Qt::CaseInsensitive) == 0;
    return true;
}

bool SettingsReader::readInt(const SettingsField &field, qint64 min, qint64 max, qint64 &out)
{
    if (!field.value.IsScalar() || scalarKind(field.value) != ScalarKind::Integer) {
        typeError(field, QStringLiteral("a whole number"));
        return false;
    }
    bool ok = false;
    const qint64 value = QString::fromStdString(field.value.Scalar()).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        error(field, QStringLiteral("'%1' must be between %2 and %3, found %4")
                         .arg(field.path).arg(min).arg(max)
                         .arg(QString::fromStdString(field.value.Scalar())));
        return false;
    }
    out = value;
    return true;
}

bool SettingsReader::readDouble(const SettingsField &field, double min, double max, double &out)
{
    if (!field.value.IsScalar() || (scalarKind(field.value) != ScalarKind::Integer
                                    && scalarKind(field.value) != ScalarKind::Float)) {
        typeError(field, QStringLiteral("a number"));
        return false;
    }
    bool ok = false;
    const double value = QString::fromStdString(field.value.Scalar()).toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < min || value > max) {
        error(field, QStringLiteral("'%1' must be between %2 and %3, found %4")
                         .arg(field.path).arg(min).arg(max)
                         .arg(QString::fromStdString(field.value.Scalar())));
        return false;
    }
    out = value;
    return true;
}

bool SettingsReader::readString(const SettingsField &field, QString &out, bool allowEmpty)
{
    const std::optional<QString> text = scalarText(field, QStringLiteral("text"));
    if (!text)
        return false;
    if (!allowEmpty && text->trimmed().isEmpty()) {
        error(field, QStringLiteral("'%1' must not be empty").arg(field.path));
        return false;
    }
    out = *text;
    return true;
}

bool SettingsReader::readStringList(const SettingsField &field, QStringList &out)
{
    if (field.value.IsScalar()) {
        QString one;
        if (!readString(field, one))
            return false;
        out = QStringList{one};
        return true;
    }
    const std::optional<QList<SettingsField>> items = sequence(field);
    if (!items)
        return false;
    QStringList values;
    bool ok = true;
    for (const SettingsField &item : *items) {
        QString value;
        if (readString(item, value))
            values.append(value);
        else
            ok = false;
    }
    if (ok)
        out = values;
    return ok;
}

bool SettingsReader::readDuration(const SettingsField &field, milliseconds min, milliseconds &out)
{
    const std::optional<QString> text = scalarText(field, QStringLiteral("a duration such as \"5s\""));
    if (!text)
        return false;
    const ScalarKind kind = scalarKind(field.value);
    if ((kind == ScalarKind::Integer || kind == ScalarKind::Float) && *text != u"0") {
        error(field, QStringLiteral("expected a duration with a unit for '%1', found the number %2 "
                                    "(write \"%2s\" for seconds or \"%2ms\" for milliseconds)")
                         .arg(field.path, *text));
        return false;
    }
    const Result<milliseconds> value = SettingsValues::parseDuration(*text);
    if (!value) {
        error(field, QStringLiteral("invalid value for '%1': %2").arg(field.path, value.error().message));
        return false;
    }
    if (*value < min) {
        error(field, QStringLiteral("'%1' must be at least %2, found \"%3\"")
                         .arg(field.path, formatDuration(min), *text));
        return false;
    }
    out = *value;
    return true;
}

bool SettingsReader::readSeconds(const SettingsField &field, seconds min, seconds &out)
{
    milliseconds value{0};
    if (!readDuration(field, min, value))
        return false;
    if (value.count() % 1000 != 0) {
        error(field, QStringLiteral("'%1' must be a whole number of seconds, found \"%2\"")
                         .arg(field.path, QString::fromStdString(field.value.Scalar())));
        return false;
    }
    out = std::chrono::duration_cast<seconds>(value);
    return true;
}

bool SettingsReader::readSize(const SettingsField &field, qint64 min, qint64 &out)
{
    const std::optional<QString> text = scalarText(field, QStringLiteral("a size such as \"64KiB\""));
    if (!text)
        return false;
    const ScalarKind kind = scalarKind(field.value);
    if ((kind == ScalarKind::Integer || kind == ScalarKind::Float) && *text != u"0") {
        error(field, QStringLiteral("expected a size with a unit for '%1', found the number %2 "
                                    "(write \"%2B\" for bytes, or use KiB or MiB)")
                         .arg(field.path, *text));
        return false;
    }
    const Result<qint64> value = SettingsValues::parseSize(*text);
    if (!value) {
        error(field, QStringLiteral("invalid value for '%1': %2").arg(field.path, value.error().message));
        return false;
    }
    if (*value < min) {
        error(field, QStringLiteral("'%1' must be at least %2 bytes, found \"%3\"")
                         .arg(field.path).arg(min).arg(*text));
        return false;
    }
    out = *value;
    return true;
}

int SettingsReader::readChoice(const SettingsField &field, const QStringList &names)
{
    const std::optional<QString> text = scalarText(field, QStringLiteral("one of %1")
                                                              .arg(names.join(QStringLiteral(", "))));
    if (!text)
        return -1;
    const int index = int(names.indexOf(*text));
    if (index < 0) {
        error(field, QStringLiteral("unknown value '%1' for '%2' (allowed: %3)")
                         .arg(*text, field.path, names.join(QStringLiteral(", "))));
    }
    return index;
}

bool SettingsReader::readSecret(const SettingsField &field, SecretRef &out)
{
    QString text;
    if (!readString(field, text))
        return false;
    Result<SecretRef> ref = SettingsValues::parseSecretRef(text);
    if (!ref) {
        error(field, QStringLiteral("invalid value for '%1': %2").arg(field.path, ref.error().message));
        return false;
    }
    ref->location = locationOf(field);
    if (!ref->filePath.isEmpty() && QFileInfo(ref->filePath).isRelative() && !fileExists(ref->filePath)) {
        // Absolute paths are deployment mounts (/run/secrets/...) checked at start, not here.
        error(field, QStringLiteral("secret file '%1' for '%2' does not exist (relative paths start at "
                                    "the project folder)").arg(ref->filePath, field.path));
        return false;
    }
    if (!ref->literal.isEmpty()) {
        warning(field, QStringLiteral("'%1' holds a literal secret, which exports leave out; use "
                                      "${env:NAME} or ${file:path} instead").arg(field.path));
    }
    out = *ref;
    return true;
}

QString SettingsReader::absolutePath(const QString &path) const
{
    return QDir(m_projectDir).absoluteFilePath(path);
}

bool SettingsReader::fileExists(const QString &path) const
{
    if (m_projectDir.isEmpty())
        return true;
    return QFileInfo(absolutePath(path)).isFile();
}

bool SettingsReader::readFile(const SettingsField &field, FileCheck check, QString &out)
{
    QString path;
    if (!readString(field, path))
        return false;
    if (check == FileCheck::MustExist && !fileExists(path)) {
        const bool isFolder = !m_projectDir.isEmpty() && QFileInfo(absolutePath(path)).isDir();
        error(field, isFolder ? QStringLiteral("'%1' for '%2' is a folder, not a file").arg(path, field.path)
                              : QStringLiteral("file '%1' for '%2' does not exist (relative paths start "
                                               "at the project folder)").arg(path, field.path));
        return false;
    }
    out = path;
    return true;
}

bool SettingsReader::readUrl(const SettingsField &field, const QStringList &schemes, QUrl &out)
{
    QString text;
    if (!readString(field, text))
        return false;
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || !schemes.contains(url.scheme().toLower()) || url.host().isEmpty()) {
        error(field, QStringLiteral("'%1' must be an %2 URL, found '%3'")
                         .arg(field.path, SettingsValues::joinAlternatives(schemes), text));
        return false;
    }
    out = url;
    return true;
}

} // namespace Gatehouse
