package io.execsim.runc.programs;

import io.execsim.core.process.Program;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The programs a busybox container has, by the names its {@code /bin} links give them: {@code sh} and the applets
 * people run through it, with busybox 1.35's behaviour and error texts (the reference container runs
 * busybox-static 1.35). Each program is stateless, so one instance serves every process.
 */
public final class BuiltinPrograms {
  private static final Map<String, Program> ALL = build();

  private BuiltinPrograms() {
  }

  /** Every built-in program by name, sorted by name. */
  public static Map<String, Program> all() {
    return ALL;
  }

  private static Map<String, Program> build() {
    Map<String, Program> m = new TreeMap<>();
    m.put(Cat.NAME, new Cat());
    m.put(Echo.NAME, new Echo());
    m.put(Env.NAME, new Env());
    m.put("false", ctx -> CompletableFuture.completedFuture(1));
    m.put(Head.NAME, new Head());
    m.put(Id.NAME, new Id());
    m.put(Ls.NAME, new Ls());
    m.put(Printf.NAME, new Printf());
    m.put(Shell.NAME, new Shell());
    m.put(Sleep.NAME, new Sleep());
    m.put(TestApplet.NAME, new TestApplet(TestApplet.NAME));
    m.put(TestApplet.BRACKET_NAME, new TestApplet(TestApplet.BRACKET_NAME));
    m.put(Touch.NAME, new Touch());
    m.put("true", ctx -> CompletableFuture.completedFuture(0));
    m.put(Yes.NAME, new Yes());
    return Collections.unmodifiableMap(m);
  }
}
