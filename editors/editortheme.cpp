// EditorTheme: one set of hues, lightened on dark palettes and darkened on light ones.
#include "editortheme.h"

#include <QPalette>
#include <QTextCharFormat>

#include <cmath>

namespace Gatehouse {

namespace {

// A blend of two colours; t = 0 gives a, t = 1 gives b.
QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                            a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

// WCAG contrast ratio between two colours.
qreal contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel
            = [](qreal v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
               + 0.0722 * channel(c.blueF());
    };
    const qreal la = luminance(a) + 0.05;
    const qreal lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

// A hue at the lightness where it reads as text on `background` (WCAG AA, 4.5:1, with a margin):
// darkened on light backgrounds, lightened on dark ones. Greens and cyans are bright for their
// lightness, so each hue finds its own. Saturation is lowered on dark backgrounds, where it glares.
QColor tone(int hue, const QColor &background, bool dark, int saturation = 200,
            qreal minContrast = 4.8)
{
    const int s = dark ? saturation * 3 / 4 : saturation;
    int lightness = dark ? 165 : 110;
    QColor c = QColor::fromHsl(hue, s, lightness);
    while (contrast(c, background) < minContrast && lightness > 0 && lightness < 255) {
        lightness += dark ? 4 : -4;
        c = QColor::fromHsl(hue, s, qBound(0, lightness, 255));
    }
    return c;
}

} // namespace

EditorTheme EditorTheme::fromPalette(const QPalette &palette)
{
    EditorTheme t;
    t.background = palette.color(QPalette::Base);
    t.text = palette.color(QPalette::Text);
    t.dark = t.background.lightness() < t.text.lightness();
    const bool dark = t.dark;

    t.gutter = mix(t.background, palette.color(QPalette::Window), 0.6);
    t.gutterText = mix(t.text, t.background, 0.55);
    t.gutterCurrentText = t.text;
    t.currentLine = palette.color(QPalette::Highlight);
    t.currentLine.setAlpha(dark ? 55 : 32);
    t.searchMatch = dark ? QColor(255, 214, 0, 70) : QColor(255, 200, 0, 110);
    t.error = dark ? QColor(255, 107, 107) : QColor(211, 47, 47);
    t.warning = dark ? QColor(255, 192, 77) : QColor(214, 132, 0);
    t.note = tone(210, t.background, dark);

    auto set = [&t](TextRole role, const QColor &c) { t.roles[int(role) - 1] = c; };
    set(TextRole::Key, tone(212, t.background, dark));
    set(TextRole::String, tone(125, t.background, dark, 150));
    set(TextRole::Scalar,
        mix(tone(160, t.background, dark, 120), t.text, 0.35));  // near the text colour
    set(TextRole::BlockScalar, tone(125, t.background, dark, 110));
    set(TextRole::Number, tone(32, t.background, dark, 230));
    set(TextRole::Constant, tone(285, t.background, dark, 150));
    set(TextRole::Keyword, tone(232, t.background, dark, 170));
    set(TextRole::Comment, mix(t.text, t.background, 0.45));
    set(TextRole::Type, tone(178, t.background, dark, 220));
    set(TextRole::Function, tone(200, t.background, dark, 160));
    set(TextRole::Anchor, tone(330, t.background, dark, 170));
    set(TextRole::Reference, tone(190, t.background, dark, 230));
    set(TextRole::Extension, tone(14, t.background, dark, 210));
    set(TextRole::Option, tone(14, t.background, dark, 210));
    return t;
}

QTextCharFormat EditorTheme::format(TextRole role) const
{
    QTextCharFormat f;
    f.setForeground(color(role));
    f.setProperty(kTextRoleProperty, int(role));
    switch (role) {
    case TextRole::Comment:
        f.setFontItalic(true);
        break;
    case TextRole::Keyword:
    case TextRole::Extension:
    case TextRole::Option:
    case TextRole::Reference:
        // The gateway's own settings and $refs are what a reader scans for: make them stand out.
        f.setFontWeight(QFont::Bold);
        break;
    default:
        break;
    }
    return f;
}

} // namespace Gatehouse
