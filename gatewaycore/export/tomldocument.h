// TomlDocument: a TOML 1.0 reader for the configuration files imported from WSO2 MGW
// (micro-gw.conf, deployment-config.toml). Every value keeps its line and column, every error is
// a diagnostic at its place; nothing is ever thrown.
#pragma once

#include "base/diagnostic.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace Gatehouse {

class TomlValue
{
public:
    // DateTime values keep their text: nothing MGW configures is a date.
    enum class Kind { String = 1, Integer, Float, Boolean, DateTime, Array, Table };

    Kind kind = Kind::Table;
    QString text;          // String, DateTime
    qint64 integer = 0;    // Integer
    double number = 0;     // Float
    bool boolean = false;  // Boolean
    std::vector<TomlValue> items;   // Array elements, or a Table's values (in file order)
    QStringList keys;               // a Table's keys, parallel to items
    int line = 0;                   // where the value (or the table's header) starts
    int column = 0;
    // Parser bookkeeping: a table given its own [header] (a second one is an error), a value written
    // whole (an inline table or array, never extended), an array made by [[headers]].
    bool headerDefined = false;
    bool closed = false;
    bool arrayOfTables = false;

    bool isTable() const { return kind == Kind::Table; }
    // The value of `key` in a table; nullptr when absent or when this is not a table.
    const TomlValue *find(const QString &key) const;
    // Follows dotted names through nested tables: path({"keyManager", "security", "basic"}).
    const TomlValue *path(const QStringList &names) const;
    QString kindName() const;   // "string", "integer", "table" ... for messages
};

// A bare value (integer, float, date-time) into `v`; returns why it is none, or an empty string.
QString parseTomlScalar(const QString &word, TomlValue &v);

// Parses `text` (UTF-8). `displayPath` names the file in diagnostics. Errors stop the parse and
// return nothing; the diagnostic says what was expected where ("conf/micro-gw.conf:4:12: error:
// expected '=' after the key 'httpPort'").
std::optional<TomlValue> parseToml(const QByteArray &text, const QString &displayPath,
                                   Diagnostics &diagnostics);

} // namespace Gatehouse
