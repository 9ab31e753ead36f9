// PolicySettingsForm: one widget per schema node, each with a reader that turns it back into JSON
// (Undefined = leave the key out). Typing re-validates in place; adding or removing a list item
// rebuilds the form from the JSON the readers give, so paths and error places stay exact.
#include "policysettingsform.h"
#include "wheelguard.h"

#include "policies/registry/policyregistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QString displayValue(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isArray() || v.isObject())
        return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return {};
}

bool isScalar(SettingType type)
{
    return type == SettingType::Text || type == SettingType::Integer || type == SettingType::Number;
}

// A number field's text as JSON: a number when it reads as one, else the text (which the
// validator then names as "expected a number").
QJsonValue scalarValue(SettingType type, const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (type == SettingType::Integer || type == SettingType::Number) {
        bool ok = false;
        const double d = t.toDouble(&ok);
        if (ok)
            return d;
    }
    return type == SettingType::Text ? QJsonValue(text) : QJsonValue(t);
}

QPlainTextEdit *smallTextEdit(const QString &text)
{
    auto *edit = new QPlainTextEdit(text);
    edit->setTabChangesFocus(true);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 12);
    return edit;
}

} // namespace

PolicySettingsForm::PolicySettingsForm(QWidget *parent)
    : QWidget(parent), m_description(new QLabel), m_generalError(new QLabel), m_body(new QVBoxLayout)
{
    setObjectName(QStringLiteral("PolicySettingsForm"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    m_generalError->setWordWrap(true);
    m_generalError->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_generalError->hide();
    layout->addWidget(m_description);
    layout->addWidget(m_generalError);
    layout->addLayout(m_body);
}

PolicySettingsForm::~PolicySettingsForm() = default;

QString PolicySettingsForm::pathText(const PathTokens &path)
{
    QString out = QStringLiteral("settings");
    for (const QVariant &t : path)
        out += t.typeId() == QMetaType::Int ? QStringLiteral("[%1]").arg(t.toInt()) : u'.' + t.toString();
    return out;
}

void PolicySettingsForm::setPolicy(const QString &name, const QJsonObject &settings)
{
    m_filling = true;
    m_name = name;
    m_fields.clear();
    delete m_content;
    const PolicyDescriptor *d = PolicyRegistry::builtin().find(name);
    m_known = d != nullptr;
    m_unknownSettings = settings;
    if (!d) {
        m_description->setText(tr("The policy '%1' is not in the registry: its settings are kept as "
                                  "written.").arg(name));
        m_read = [settings] { return QJsonValue(settings); };
        m_problems.clear();
        m_generalError->hide();
        m_filling = false;
        return;
    }
    m_description->setText(d->description);
    m_content = buildObject(d->settings, settings, {}, m_read);
    m_body->addWidget(m_content);
    validate();
    m_filling = false;
}

QJsonObject PolicySettingsForm::settings() const
{
    if (!m_known || !m_read)
        return m_unknownSettings;
    return m_read().toObject();
}

QWidget *PolicySettingsForm::fieldWidget(const QString &path) const
{
    for (const Field &f : m_fields)
        if (f.path == path)
            return f.widget;
    return nullptr;
}

QString PolicySettingsForm::errorAt(const QString &path) const
{
    for (const Field &f : m_fields)
        if (f.path == path)
            return f.error->isHidden() ? QString() : f.error->text();
    return {};
}

QWidget *PolicySettingsForm::withError(QWidget *field, const PathTokens &path)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    layout->addWidget(field);
    auto *error = new QLabel;
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #c62828;"));
    error->hide();
    layout->addWidget(error);
    m_fields.push_back({pathText(path), field, error});
    return box;
}

QWidget *PolicySettingsForm::build(const SettingSchema &schema, const QJsonValue &value,
                                   const PathTokens &path, Reader &read)
{
    const QString defaultText = displayValue(schema.defaultValue);
    QWidget *field = nullptr;
    switch (schema.type) {
    case SettingType::Boolean: {
        auto *box = new QCheckBox(schema.description);
        const bool initial = value.isBool() ? value.toBool() : schema.defaultValue.toBool();
        box->setChecked(initial);
        connect(box, &QCheckBox::toggled, this, &PolicySettingsForm::edited);
        const bool wasSet = !value.isUndefined();
        const QJsonValue fallback = schema.defaultValue;
        read = [box, wasSet, fallback] {
            // An untouched default stays unwritten.
            if (!wasSet && fallback.isBool() && box->isChecked() == fallback.toBool())
                return QJsonValue(QJsonValue::Undefined);
            return QJsonValue(box->isChecked());
        };
        field = box;
        break;
    }
    case SettingType::Text:
    case SettingType::Integer:
    case SettingType::Number:
        if (!schema.enumValues.isEmpty()) {
            auto *box = new QComboBox;
            leaveWheelToTheForm(box);
            box->addItem(defaultText.isEmpty() ? tr("(not set)") : tr("(default: %1)").arg(defaultText));
            box->addItems(schema.enumValues);
            const int index = box->findText(value.toString(), Qt::MatchExactly);
            box->setCurrentIndex(value.isString() && index > 0 ? index : 0);
            connect(box, &QComboBox::currentIndexChanged, this, &PolicySettingsForm::edited);
            read = [box] {
                return box->currentIndex() <= 0 ? QJsonValue(QJsonValue::Undefined) : QJsonValue(box->currentText());
            };
            field = box;
        } else {
            auto *edit = new QLineEdit(value.isUndefined() || value.isNull() ? QString() : displayValue(value));
            edit->setPlaceholderText(defaultText.isEmpty() ? QString() : tr("default: %1").arg(defaultText));
            if (schema.type != SettingType::Text) {
                auto *validator = new QDoubleValidator(edit);
                validator->setDecimals(schema.type == SettingType::Integer ? 0 : 6);
                edit->setValidator(validator);
            }
            connect(edit, &QLineEdit::textEdited, this, &PolicySettingsForm::edited);
            const SettingType type = schema.type;
            read = [edit, type] { return scalarValue(type, edit->text()); };
            field = edit;
        }
        break;
    case SettingType::Array:
        if (schema.items && isScalar(schema.items->type) && schema.items->enumValues.isEmpty()) {
            // One item per line.
            QStringList lines;
            for (const QJsonValue &item : value.toArray())
                lines << displayValue(item);
            auto *edit = smallTextEdit(lines.join(u'\n'));
            edit->setPlaceholderText(tr("one per line"));
            connect(edit, &QPlainTextEdit::textChanged, this, &PolicySettingsForm::edited);
            const SettingType type = schema.items->type;
            read = [edit, type] {
                const QStringList items = edit->toPlainText().split(u'\n', Qt::SkipEmptyParts);
                if (items.isEmpty())
                    return QJsonValue(QJsonValue::Undefined);
                QJsonArray out;
                for (const QString &item : items)
                    out.append(scalarValue(type, item));
                return QJsonValue(out);
            };
            field = edit;
        } else {
            field = buildList(schema, value.toArray(), path, read);
        }
        break;
    case SettingType::Object:
        field = buildObject(schema, value.toObject(), path, read);
        if (!path.isEmpty()) {   // nested: absent when nothing in it is set
            Reader inner = read;
            read = [inner] {
                const QJsonValue v = inner();
                return v.toObject().isEmpty() ? QJsonValue(QJsonValue::Undefined) : v;
            };
        }
        break;
    }
    field->setToolTip(schema.description);
    return withError(field, path);
}

QWidget *PolicySettingsForm::buildObject(const SettingSchema &schema, const QJsonObject &value,
                                         const PathTokens &path, Reader &read)
{
    auto *widget = new QWidget;
    auto *form = new QFormLayout(widget);
    form->setContentsMargins(path.isEmpty() ? 0 : 6, 0, 0, 0);
    auto readers = std::make_shared<std::vector<std::pair<QString, Reader>>>();
    for (const SettingProperty &p : schema.properties) {
        Reader r;
        QWidget *field = build(p.schema, value.value(p.name), path + PathTokens{p.name}, r);
        auto *label = new QLabel(p.schema.required ? p.name + QStringLiteral(" *") : p.name);
        label->setToolTip(p.schema.description + (p.schema.required ? u'\n' + tr("Required") : QString()));
        form->addRow(label, field);
        readers->emplace_back(p.name, std::move(r));
    }
    Reader extras;
    if (schema.values) {   // a map: the keys beyond the declared ones
        QJsonObject rest = value;
        for (const SettingProperty &p : schema.properties)
            rest.remove(p.name);
        QStringList lines;
        for (auto it = rest.begin(); it != rest.end(); ++it)
            lines << it.key() + QStringLiteral(" = ") + displayValue(it.value());
        auto *edit = smallTextEdit(lines.join(u'\n'));
        edit->setPlaceholderText(tr("name = value, one per line"));
        edit->setToolTip(schema.values->description);
        connect(edit, &QPlainTextEdit::textChanged, this, &PolicySettingsForm::edited);
        const SettingType type = schema.values->type;
        extras = [edit, type] {
            QJsonObject out;
            for (const QString &line : edit->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
                const qsizetype eq = line.indexOf(u'=');
                const QString key = line.left(eq).trimmed();
                const QString text = eq < 0 ? QString() : line.mid(eq + 1).trimmed();
                if (key.isEmpty())
                    continue;
                const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
                out.insert(key, isScalar(type) ? scalarValue(type, text)
                                : json.isArray() ? QJsonValue(json.array())
                                : json.isObject() ? QJsonValue(json.object())
                                                  : QJsonValue(text));
            }
            return QJsonValue(out);
        };
        form->addRow(schema.properties.empty() ? tr("Entries:") : tr("Other:"), withError(edit, path));
    }
    read = [readers, extras] {
        QJsonObject out = extras ? extras().toObject() : QJsonObject();
        for (const auto &[name, r] : *readers) {
            const QJsonValue v = r();
            if (!v.isUndefined())
                out.insert(name, v);
        }
        return QJsonValue(out);
    };
    return widget;
}

QWidget *PolicySettingsForm::buildList(const SettingSchema &schema, const QJsonArray &value,
                                       const PathTokens &path, Reader &read)
{
    auto *widget = new QWidget;
    auto *layout = new QVBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    auto readers = std::make_shared<std::vector<Reader>>();
    const SettingSchema itemSchema = schema.items ? *schema.items : SettingSchema::text(QString());
    for (qsizetype i = 0; i < value.size(); ++i) {
        auto *group = new QGroupBox(tr("Item %1").arg(i + 1));
        auto *groupLayout = new QVBoxLayout(group);
        Reader r;
        groupLayout->addWidget(build(itemSchema, value.at(i), path + PathTokens{int(i)}, r));
        auto *remove = new QPushButton(tr("Remove item %1").arg(i + 1));
        connect(remove, &QPushButton::clicked, this, [this, path, i] {
            restructure(path, [i](QJsonValue list) {
                QJsonArray a = list.toArray();
                if (i < a.size())
                    a.removeAt(i);
                return QJsonValue(a);
            });
        });
        groupLayout->addWidget(remove, 0, Qt::AlignRight);
        layout->addWidget(group);
        readers->push_back(std::move(r));
    }
    auto *add = new QPushButton(tr("Add item"));
    connect(add, &QPushButton::clicked, this, [this, path, itemSchema] {
        restructure(path, [itemSchema](QJsonValue list) {
            QJsonArray a = list.toArray();
            a.append(itemSchema.type == SettingType::Object ? QJsonValue(QJsonObject())
                                                            : QJsonValue(QString()));
            return QJsonValue(a);
        });
    });
    layout->addWidget(add, 0, Qt::AlignLeft);
    read = [readers] {
        QJsonArray out;
        for (const Reader &r : *readers) {
            const QJsonValue v = r();
            out.append(v.isUndefined() ? QJsonValue(QJsonObject()) : v);
        }
        return out.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(out);
    };
    return widget;
}

void PolicySettingsForm::restructure(const PathTokens &path, const std::function<QJsonValue(QJsonValue)> &change)
{
    // Rebuild from the JSON with the list changed at `path`, after this click has been handled
    // (the button that was clicked goes away with the old form).
    std::function<QJsonValue(const QJsonValue &, qsizetype)> apply = [&](const QJsonValue &at, qsizetype depth) {
        if (depth == path.size())
            return change(at);
        const QVariant &token = path.at(depth);
        if (token.typeId() == QMetaType::Int) {
            QJsonArray a = at.toArray();
            const int i = token.toInt();
            while (a.size() <= i)
                a.append(QJsonObject());
            a[i] = apply(a.at(i), depth + 1);
            return QJsonValue(a);
        }
        QJsonObject o = at.toObject();
        o.insert(token.toString(), apply(o.value(token.toString()), depth + 1));
        return QJsonValue(o);
    };
    const QJsonObject changed = apply(settings(), 0).toObject();
    QTimer::singleShot(0, this, [this, changed] {
        setPolicy(m_name, changed);
        emit settingsChanged(settings());
    });
}

void PolicySettingsForm::edited()
{
    if (m_filling)
        return;
    validate();
    emit settingsChanged(settings());
}

void PolicySettingsForm::validate()
{
    const PolicyDescriptor *d = PolicyRegistry::builtin().find(m_name);
    m_problems.clear();
    if (!d)
        return;
    const QJsonObject current = settings();
    const QJsonObject filled = validateSettings(d->settings, current, QStringLiteral("settings"), m_problems).toObject();
    if (m_problems.isEmpty() && d->check)
        d->check(filled, m_problems);

    for (Field &f : m_fields)
        f.error->clear();
    QStringList general;
    for (const QString &problem : std::as_const(m_problems)) {
        const qsizetype colon = problem.indexOf(QStringLiteral(": "));
        QString path = colon < 0 ? QString() : problem.left(colon);
        const QString message = colon < 0 ? problem : problem.mid(colon + 2);
        Field *target = nullptr;
        // The field itself, else the nearest enclosing one that has a place for errors.
        static const QRegularExpression lastSegment(QStringLiteral("(\\[\\d+\\]|\\.[^.\\[]+)$"));
        while (!path.isEmpty() && !target) {
            for (Field &f : m_fields)
                if (f.path == path)
                    target = &f;
            if (!target && path.contains(lastSegment))
                path.remove(lastSegment);
            else if (!target)
                break;
        }
        if (target && target->path != QStringLiteral("settings"))
            target->error->setText(target->error->text().isEmpty() ? message
                                                                   : target->error->text() + u'\n' + message);
        else
            general << problem;
    }
    for (Field &f : m_fields)
        f.error->setVisible(!f.error->text().isEmpty());
    m_generalError->setText(general.join(u'\n'));
    m_generalError->setVisible(!general.isEmpty());
}

} // namespace Gatehouse
