package io.execsim.core.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code text/tabwriter} as urfave/cli's help printer sets it up: {@code NewWriter(out, 1, 8, 2, ' ', 0)}. A
 * tab ends a cell; the cells of one column in consecutive lines are padded with spaces to the widest of them plus
 * the padding; the last cell of a line is not part of any column. Widths count runes.
 */
final class TabWriter {
  private final int minWidth;
  private final int padding;
  private final List<List<String>> lines = new ArrayList<>();
  private final List<Integer> widths = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  private TabWriter(int minWidth, int padding) {
    this.minWidth = minWidth;
    this.padding = padding;
  }

  /** {@code text} through a tab writer with urfave's settings, flushed. */
  static String format(String text) {
    TabWriter w = new TabWriter(1, 2);
    String[] raw = text.split("\n", -1);
    for (String line : raw) {
      List<String> cells = new ArrayList<>(List.of(line.split("\t", -1)));
      w.lines.add(cells);
    }
    w.format(0, w.lines.size());
    return w.out.toString();
  }

  /** tabwriter's {@code format}: each block of lines that have a cell in the next column sets that column's width. */
  private void format(int line0, int line1) {
    int column = widths.size();
    int start = line0;
    for (int at = line0; at < line1; at++) {
      if (column >= lines.get(at).size() - 1) {
        continue;
      }
      writeLines(start, at);
      start = at;
      int width = minWidth;
      for (; at < line1; at++) {
        List<String> cells = lines.get(at);
        if (column >= cells.size() - 1) {
          break;
        }
        width = Math.max(width, runes(cells.get(column)) + padding);
      }
      widths.add(width);
      format(start, at);
      widths.remove(widths.size() - 1);
      start = at;
      at--;
    }
    writeLines(start, line1);
  }

  private void writeLines(int from, int to) {
    for (int i = from; i < to; i++) {
      List<String> cells = lines.get(i);
      for (int j = 0; j < cells.size(); j++) {
        String c = cells.get(j);
        out.append(c);
        if (j < widths.size()) {
          out.append(" ".repeat(widths.get(j) - runes(c)));
        }
      }
      // the text ends without a newline after its last line
      if (i + 1 < lines.size()) {
        out.append('\n');
      }
    }
  }

  private static int runes(String s) {
    return s.codePointCount(0, s.length());
  }
}
