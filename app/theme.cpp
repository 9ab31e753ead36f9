// Light and dark palettes: Fusion with a hand-made dark QPalette, the system look, the saved choice.
#include "theme.h"

#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace Gatehouse {

namespace {
const QString kThemeKey = QStringLiteral("ui/theme");
Theme g_current = Theme::System;

// What the application looked like before any theme was applied, for "System".
struct SystemLook
{
    QString styleName;
    bool captured = false;
};
SystemLook &systemLook()
{
    static SystemLook look;
    if (!look.captured) {
        look.styleName = QApplication::style()->name();
        look.captured = true;
    }
    return look;
}

QString themeKey(Theme theme)
{
    switch (theme) {
        case Theme::Light:
            return QStringLiteral("light");
        case Theme::Dark:
            return QStringLiteral("dark");
        case Theme::System:
            break;
    }
    return QStringLiteral("system");
}
} // namespace

Theme savedTheme()
{
    const QString value = QSettings().value(kThemeKey).toString();
    if (value == QStringLiteral("light"))
        return Theme::Light;
    if (value == QStringLiteral("dark"))
        return Theme::Dark;
    return Theme::System;
}

Theme currentTheme()
{
    return g_current;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor alternate(0x26, 0x28, 0x2b);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x7a, 0x7e, 0x85);
    const QColor accent(0x35, 0x74, 0xf0);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x44));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x32, 0x34, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x68));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x24, 0x25, 0x28));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x58, 0x9d, 0xf6));
    p.setColor(QPalette::LinkVisited, QColor(0xa5, 0x7c, 0xf0));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

void applyTheme(Theme theme)
{
    const SystemLook &look = systemLook();
    g_current = theme;
    if (theme == Theme::System) {
        if (QApplication::style()->name() != look.styleName)
            QApplication::setStyle(QStyleFactory::create(look.styleName));
        // An empty palette resolves to the platform's (or the style's) own colours.
        QApplication::setPalette(QPalette());
        return;
    }
    if (QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette()
                                                  : QApplication::style()->standardPalette());
}

void saveTheme(Theme theme)
{
    QSettings().setValue(kThemeKey, themeKey(theme));
}

void setTheme(Theme theme)
{
    applyTheme(theme);
    saveTheme(theme);
}

QMenu *createThemeMenu(QWidget *parent)
{
    auto *menu = new QMenu(QApplication::translate("Gatehouse::Theme", "&Theme"), parent);
    auto *group = new QActionGroup(menu);
    const std::pair<Theme, QString> choices[] = {
        {Theme::System, QApplication::translate("Gatehouse::Theme", "&System")},
        {Theme::Light, QApplication::translate("Gatehouse::Theme", "&Light")},
        {Theme::Dark, QApplication::translate("Gatehouse::Theme", "&Dark")},
    };
    for (const auto &[theme, label] : choices) {
        QAction *action = menu->addAction(label);
        action->setCheckable(true);
        action->setChecked(theme == g_current);
        action->setData(int(theme));
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [t = theme] { setTheme(t); });
    }
    // Another window (or a test) may switch the theme: keep the check marks honest.
    QObject::connect(menu, &QMenu::aboutToShow, menu, [group] {
        for (QAction *a : group->actions())
            a->setChecked(Theme(a->data().toInt()) == g_current);
    });
    return menu;
}

} // namespace Gatehouse
