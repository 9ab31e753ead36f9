// Compile-time guard: the gateway core is headless and must build without Qt Gui or Widgets.
#if defined(QT_GUI_LIB) || defined(QT_WIDGETS_LIB)
#error "gatehouse-core must not depend on Qt Gui or Qt Widgets (see DESIGN.md, dependency rule)"
#endif
