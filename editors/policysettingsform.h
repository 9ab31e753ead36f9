// PolicySettingsForm: the settings of one policy attachment as a form generated from the policy's
// declared schema (text, enum, number, true/false, lists, objects, maps; defaults as placeholders,
// descriptions as tooltips), with the core validator's problems shown under the field they name.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace Gatehouse {

struct SettingSchema;

class PolicySettingsForm : public QWidget
{
    Q_OBJECT
public:
    explicit PolicySettingsForm(QWidget *parent = nullptr);
    ~PolicySettingsForm() override;

    // Builds the form of the registry's policy `name`, filled from `settings`. A name the registry
    // does not know shows that, and settings() returns `settings` unchanged.
    void setPolicy(const QString &name, const QJsonObject &settings);
    QString policyName() const { return m_name; }
    // What the fields say; keys left empty are absent (their defaults apply).
    QJsonObject settings() const;
    // The validator's problems for settings(), each "settings.<path>: <sentence>".
    QStringList problems() const { return m_problems; }

    // The editing widget and the inline error of a field, by its path as the validator names it
    // ("settings.request[0].name"); for tests and for keyboard users' focus.
    QWidget *fieldWidget(const QString &path) const;
    QString errorAt(const QString &path) const;

signals:
    // The user changed a field (not emitted by setPolicy()).
    void settingsChanged(const QJsonObject &settings);

private:
    struct Field
    {
        QString path;
        QWidget *widget = nullptr;
        QLabel *error = nullptr;
    };
    using Reader = std::function<QJsonValue()>;
    using PathTokens = QList<QVariant>;   // keys (QString) and indexes (int) below settings

    QWidget *build(const SettingSchema &schema, const QJsonValue &value, const PathTokens &path,
                   Reader &read);
    QWidget *buildObject(const SettingSchema &schema, const QJsonObject &value, const PathTokens &path,
                         Reader &read);
    QWidget *buildList(const SettingSchema &schema, const QJsonArray &value, const PathTokens &path,
                       Reader &read);
    QWidget *withError(QWidget *field, const PathTokens &path);
    void edited();
    void validate();
    void restructure(const PathTokens &path, const std::function<QJsonValue(QJsonValue)> &change);
    static QString pathText(const PathTokens &path);

    QString m_name;
    QJsonObject m_unknownSettings;   // kept as they are when the policy is not in the registry
    bool m_known = false;
    Reader m_read;
    std::vector<Field> m_fields;
    QStringList m_problems;
    QLabel *m_description;
    QLabel *m_generalError;
    QVBoxLayout *m_body;
    QPointer<QWidget> m_content;
    bool m_filling = false;
};

} // namespace Gatehouse
