// The settings schema a policy declares: a JSON Schema subset that drives validation with field
// paths, defaults, `gatehoused policy show`, the docs and the workbench's forms.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace Gatehouse {

enum class SettingType { Text = 1, Integer, Number, Boolean, Array, Object };
QString settingTypeName(SettingType type);   // "text", "integer", "number", "true/false", "list", "map"

struct SettingProperty;

// One value of a policy's settings. Built with the helpers below, e.g.
//   SettingSchema::object({{"name", SettingSchema::text("Header name").withPattern(...).asRequired()}})
struct SettingSchema
{
    SettingType type = SettingType::Text;
    QString description;
    QJsonValue defaultValue = QJsonValue(QJsonValue::Undefined);   // filled in when the key is absent
    bool required = false;                 // as an object property: the key must be written
    QStringList enumValues;                // Text: the allowed values
    std::optional<double> minimum;         // Integer/Number: inclusive; Text: length; Array: items
    std::optional<double> maximum;
    QString pattern;                       // Text: a regular expression the whole value must match
    QString patternHint;                   // what the pattern means, for messages ("a header name")
    std::shared_ptr<const SettingSchema> items;   // Array: every item
    std::vector<SettingProperty> properties;      // Object: known keys, in display order
    std::shared_ptr<const SettingSchema> values;  // Object: schema of any other key (a map); null = refused

    static SettingSchema text(const QString &description);
    static SettingSchema integer(const QString &description);
    static SettingSchema number(const QString &description);
    static SettingSchema boolean(const QString &description);
    static SettingSchema array(const SettingSchema &items, const QString &description);
    static SettingSchema object(std::vector<SettingProperty> properties, const QString &description = {});
    static SettingSchema map(const SettingSchema &values, const QString &description);

    SettingSchema withDefault(const QJsonValue &value) const;
    SettingSchema withEnum(const QStringList &values) const;
    SettingSchema withRange(std::optional<double> minimum, std::optional<double> maximum) const;
    SettingSchema withPattern(const QString &regex, const QString &hint) const;
    SettingSchema asRequired() const;

    // JSON Schema (draft 2020-12 keywords) for editors and `policy show --json`.
    QJsonObject toJsonSchema() const;
};

struct SettingProperty
{
    QString name;
    SettingSchema schema;
};

// Checks `value` against `schema` and returns it with defaults filled in. Each problem is appended
// as "<path>: <sentence>", e.g. "settings.request[0].name: expected text, found a number".
QJsonValue validateSettings(const SettingSchema &schema, const QJsonValue &value, const QString &path,
                            QStringList &problems);

// One line per leaf field for the docs: "| `request[].name` | text | — | required | Header name |".
QStringList settingsTableRows(const SettingSchema &schema);

} // namespace Gatehouse
