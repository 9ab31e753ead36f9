// The settings schema a policy declares: validation with field paths, defaults, JSON Schema export.
#include "settingsschema.h"

#include "base/textutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace Gatehouse {

namespace {

QString foundName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("nothing (null)");
    case QJsonValue::Bool: return QStringLiteral("true/false");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("text");
    case QJsonValue::Array: return QStringLiteral("a list");
    case QJsonValue::Object: return QStringLiteral("a map");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

QString expectedName(SettingType type)
{
    switch (type) {
    case SettingType::Text: return QStringLiteral("text");
    case SettingType::Integer: return QStringLiteral("a whole number");
    case SettingType::Number: return QStringLiteral("a number");
    case SettingType::Boolean: return QStringLiteral("true or false");
    case SettingType::Array: return QStringLiteral("a list");
    case SettingType::Object: return QStringLiteral("a map");
    }
    return {};
}

QString number(double d)
{
    return QString::number(d, 'g', 15);
}

void problem(QStringList &problems, const QString &path, const QString &message)
{
    problems.append(path + QStringLiteral(": ") + message);
}

bool checkRange(const SettingSchema &s, double value, const QString &what, const QString &path,
                QStringList &problems)
{
    if (s.minimum && value < *s.minimum) {
        problem(problems, path, QStringLiteral("%1 %2 is below the minimum %3").arg(what, number(value), number(*s.minimum)));
        return false;
    }
    if (s.maximum && value > *s.maximum) {
        problem(problems, path, QStringLiteral("%1 %2 is above the maximum %3").arg(what, number(value), number(*s.maximum)));
        return false;
    }
    return true;
}

QJsonValue validateObject(const SettingSchema &s, const QJsonObject &in, const QString &path, QStringList &problems)
{
    QJsonObject out;
    QStringList known;
    for (const SettingProperty &p : s.properties) {
        known.append(p.name);
        const QString childPath = path + u'.' + p.name;
        const auto it = in.constFind(p.name);
        if (it == in.constEnd()) {
            if (p.schema.required)
                problem(problems, childPath, QStringLiteral("is required: %1").arg(p.schema.description));
            else if (!p.schema.defaultValue.isUndefined())
                out.insert(p.name, p.schema.defaultValue);
            continue;
        }
        out.insert(p.name, validateSettings(p.schema, *it, childPath, problems));
    }
    for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
        if (known.contains(it.key()))
            continue;
        if (s.values) {
            out.insert(it.key(), validateSettings(*s.values, it.value(), path + u'.' + it.key(), problems));
            continue;
        }
        problem(problems, path + u'.' + it.key(),
                QStringLiteral("unknown setting%1 (known: %2)")
                    .arg(didYouMean(it.key(), known), known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
    }
    return out;
}

void addRows(const SettingSchema &s, const QString &path, QStringList &rows)
{
    if (s.type == SettingType::Object && (!s.properties.empty() || s.values)) {
        for (const SettingProperty &p : s.properties)
            addRows(p.schema, path.isEmpty() ? p.name : path + u'.' + p.name, rows);
        if (s.values)
            addRows(*s.values, path + QStringLiteral(".<name>"), rows);
        return;
    }
    if (s.type == SettingType::Array && s.items
        && (s.items->type == SettingType::Object || s.items->type == SettingType::Array)) {
        addRows(*s.items, path + QStringLiteral("[]"), rows);
        return;
    }
    QString type = settingTypeName(s.type);
    if (s.type == SettingType::Array && s.items)
        type = QStringLiteral("list of ") + settingTypeName(s.items->type);
    QStringList notes;
    if (s.required)
        notes.append(QStringLiteral("required"));
    if (!s.enumValues.isEmpty())
        notes.append(QStringLiteral("one of ") + s.enumValues.join(QStringLiteral(", ")));
    if (s.minimum)
        notes.append(QStringLiteral("min ") + number(*s.minimum));
    if (s.maximum)
        notes.append(QStringLiteral("max ") + number(*s.maximum));
    if (!s.patternHint.isEmpty())
        notes.append(s.patternHint);
    QString def = QStringLiteral("—");
    if (!s.defaultValue.isUndefined()) {
        def = QString::fromUtf8(QJsonDocument(QJsonArray{s.defaultValue}).toJson(QJsonDocument::Compact));
        def = QStringLiteral("`") + def.mid(1, def.size() - 2) + QStringLiteral("`");
    }
    rows.append(QStringLiteral("| `%1` | %2 | %3 | %4 | %5 |")
                    .arg(path, type, def, notes.join(QStringLiteral("; ")), s.description));
}

} // namespace

QString settingTypeName(SettingType type)
{
    switch (type) {
    case SettingType::Text: return QStringLiteral("text");
    case SettingType::Integer: return QStringLiteral("integer");
    case SettingType::Number: return QStringLiteral("number");
    case SettingType::Boolean: return QStringLiteral("true/false");
    case SettingType::Array: return QStringLiteral("list");
    case SettingType::Object: return QStringLiteral("map");
    }
    return {};
}

SettingSchema SettingSchema::text(const QString &description)
{
    SettingSchema s;
    s.type = SettingType::Text;
    s.description = description;
    return s;
}

SettingSchema SettingSchema::integer(const QString &description)
{
    SettingSchema s = text(description);
    s.type = SettingType::Integer;
    return s;
}

SettingSchema SettingSchema::number(const QString &description)
{
    SettingSchema s = text(description);
    s.type = SettingType::Number;
    return s;
}

SettingSchema SettingSchema::boolean(const QString &description)
{
    SettingSchema s = text(description);
    s.type = SettingType::Boolean;
    return s;
}

SettingSchema SettingSchema::array(const SettingSchema &items, const QString &description)
{
    SettingSchema s = text(description);
    s.type = SettingType::Array;
    s.items = std::make_shared<const SettingSchema>(items);
    return s;
}

SettingSchema SettingSchema::object(std::vector<SettingProperty> properties, const QString &description)
{
    SettingSchema s = text(description);
    s.type = SettingType::Object;
    s.properties = std::move(properties);
    return s;
}

SettingSchema SettingSchema::map(const SettingSchema &values, const QString &description)
{
    SettingSchema s = object({}, description);
    s.values = std::make_shared<const SettingSchema>(values);
    return s;
}

SettingSchema SettingSchema::withDefault(const QJsonValue &value) const
{
    SettingSchema s = *this;
    s.defaultValue = value;
    return s;
}

SettingSchema SettingSchema::withEnum(const QStringList &values) const
{
    SettingSchema s = *this;
    s.enumValues = values;
    return s;
}

SettingSchema SettingSchema::withRange(std::optional<double> minimum, std::optional<double> maximum) const
{
    SettingSchema s = *this;
    s.minimum = minimum;
    s.maximum = maximum;
    return s;
}

SettingSchema SettingSchema::withPattern(const QString &regex, const QString &hint) const
{
    SettingSchema s = *this;
    s.pattern = regex;
    s.patternHint = hint;
    return s;
}

SettingSchema SettingSchema::asRequired() const
{
    SettingSchema s = *this;
    s.required = true;
    return s;
}

QJsonObject SettingSchema::toJsonSchema() const
{
    static const char *const kTypes[] = {"", "string", "integer", "number", "boolean", "array", "object"};
    QJsonObject o;
    o.insert(QStringLiteral("type"), QLatin1StringView(kTypes[int(type)]));
    if (!description.isEmpty())
        o.insert(QStringLiteral("description"), description);
    if (!defaultValue.isUndefined())
        o.insert(QStringLiteral("default"), defaultValue);
    if (!enumValues.isEmpty())
        o.insert(QStringLiteral("enum"), QJsonArray::fromStringList(enumValues));
    const bool isText = type == SettingType::Text;
    const bool isList = type == SettingType::Array;
    if (minimum)
        o.insert(isText ? QStringLiteral("minLength") : isList ? QStringLiteral("minItems") : QStringLiteral("minimum"), *minimum);
    if (maximum)
        o.insert(isText ? QStringLiteral("maxLength") : isList ? QStringLiteral("maxItems") : QStringLiteral("maximum"), *maximum);
    if (!pattern.isEmpty())
        o.insert(QStringLiteral("pattern"), pattern);
    if (items)
        o.insert(QStringLiteral("items"), items->toJsonSchema());
    if (type == SettingType::Object) {
        QJsonObject props;
        QJsonArray required;
        QJsonArray order;   // JSON objects are unordered: forms lay fields out in this order
        for (const SettingProperty &p : properties) {
            props.insert(p.name, p.schema.toJsonSchema());
            order.append(p.name);
            if (p.schema.required)
                required.append(p.name);
        }
        if (!properties.empty()) {
            o.insert(QStringLiteral("properties"), props);
            o.insert(QStringLiteral("x-order"), order);
        }
        if (!required.isEmpty())
            o.insert(QStringLiteral("required"), required);
        o.insert(QStringLiteral("additionalProperties"), values ? QJsonValue(values->toJsonSchema()) : QJsonValue(false));
    }
    return o;
}

QJsonValue validateSettings(const SettingSchema &s, const QJsonValue &value, const QString &path, QStringList &problems)
{
    switch (s.type) {
    case SettingType::Text: {
        if (!value.isString()) {
            problem(problems, path, QStringLiteral("expected text, found %1").arg(foundName(value)));
            return value;
        }
        const QString text = value.toString();
        if (!s.enumValues.isEmpty() && !s.enumValues.contains(text)) {
            problem(problems, path, QStringLiteral("'%1' is not allowed%2 (expected one of %3)")
                                        .arg(text, didYouMean(text, s.enumValues), s.enumValues.join(QStringLiteral(", "))));
            return value;
        }
        if (!checkRange(s, double(text.size()), QStringLiteral("length"), path, problems))
            return value;
        if (!s.pattern.isEmpty()) {
            const QRegularExpression re(QRegularExpression::anchoredPattern(s.pattern));
            if (!re.match(text).hasMatch())
                problem(problems, path, QStringLiteral("'%1' is not %2").arg(text, s.patternHint));
        }
        return value;
    }
    case SettingType::Integer:
    case SettingType::Number: {
        const double d = value.toDouble();
        if (!value.isDouble() || (s.type == SettingType::Integer && std::trunc(d) != d)) {
            problem(problems, path, QStringLiteral("expected %1, found %2")
                                        .arg(expectedName(s.type), value.isDouble() ? number(d) : foundName(value)));
            return value;
        }
        checkRange(s, d, QStringLiteral("the value"), path, problems);
        return value;
    }
    case SettingType::Boolean:
        if (!value.isBool())
            problem(problems, path, QStringLiteral("expected true or false, found %1").arg(foundName(value)));
        return value;
    case SettingType::Array: {
        if (!value.isArray()) {
            problem(problems, path, QStringLiteral("expected a list, found %1").arg(foundName(value)));
            return value;
        }
        const QJsonArray in = value.toArray();
        checkRange(s, double(in.size()), QStringLiteral("the number of items"), path, problems);
        QJsonArray out;
        for (qsizetype i = 0; i < in.size(); ++i)
            out.append(s.items ? validateSettings(*s.items, in.at(i), path + QStringLiteral("[%1]").arg(i), problems) : in.at(i));
        return out;
    }
    case SettingType::Object:
        if (!value.isObject()) {
            problem(problems, path, QStringLiteral("expected a map, found %1").arg(foundName(value)));
            return value;
        }
        return validateObject(s, value.toObject(), path, problems);
    }
    return value;
}

QStringList settingsTableRows(const SettingSchema &schema)
{
    QStringList rows;
    addRows(schema, QString(), rows);
    return rows;
}

} // namespace Gatehouse
