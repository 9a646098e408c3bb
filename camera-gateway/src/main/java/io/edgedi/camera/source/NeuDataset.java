package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.DefectClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the images of a NEU-CLS style data set and their classes, for sources and for training.
 *
 * <p>Both layouts in circulation are understood, also mixed: class subfolders ({@code
 * train/crazing/crazing_12.bmp}, {@code rolled-in_scale/...}) and flat folders of class-prefixed
 * names ({@code Cr_12.bmp}, {@code PS_3.bmp}, {@code pitted_surface_3.bmp}). The immediate parent
 * folder wins over the file name when both name a class.
 */
public final class NeuDataset {
  /** Extensions (lower case) of files treated as images: what the JDK's ImageIO reads. */
  public static final Set<String> IMAGE_EXTENSIONS =
      Set.of("bmp", "png", "jpg", "jpeg", "gif", "tif", "tiff");

  private static final Pattern TRAILING_NUMBER = Pattern.compile("[\\s_.\\-]*\\(?\\d+\\)?$");

  private NeuDataset() {}

  /**
   * One image file.
   *
   * @param file absolute or as given under the listed root
   * @param relative path below the listed root, with {@code /} separators
   * @param defectClass the class, or null if neither folder nor name says
   */
  public record LabelledFile(Path file, String relative, DefectClass defectClass) {
    /** The class's canonical folder name, or null. */
    public String label() {
      return defectClass == null ? null : defectClass.folderName();
    }
  }

  /**
   * Every image file below {@code root} (recursively; hidden files and folders skipped), sorted by
   * relative path so the order is the same on every file system.
   *
   * @throws IOException if {@code root} is not a readable directory
   */
  public static List<LabelledFile> list(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("not a directory: " + root);
    }
    List<LabelledFile> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      walk.filter(p -> !p.equals(root))
          .filter(p -> !hiddenBelow(root, p))
          .filter(Files::isRegularFile)
          .filter(NeuDataset::isImageFile)
          .forEach(p -> out.add(new LabelledFile(p, relative(root, p), classOf(p).orElse(null))));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort(Comparator.comparing(LabelledFile::relative));
    return out;
  }

  /** Images per class; files without a class are left out. */
  public static Map<DefectClass, List<LabelledFile>> byClass(List<LabelledFile> files) {
    Map<DefectClass, List<LabelledFile>> out = new EnumMap<>(DefectClass.class);
    for (LabelledFile f : files) {
      if (f.defectClass() != null) {
        out.computeIfAbsent(f.defectClass(), k -> new ArrayList<>()).add(f);
      }
    }
    return out;
  }

  /** Class of a file from its parent folder's name, else from its own name. */
  public static Optional<DefectClass> classOf(Path file) {
    Path parent = file.getParent();
    if (parent != null && parent.getFileName() != null) {
      Optional<DefectClass> c = DefectClass.lookup(parent.getFileName().toString());
      if (c.isPresent()) {
        return c;
      }
    }
    Path name = file.getFileName();
    return name == null ? Optional.empty() : classOfFileName(name.toString());
  }

  /**
   * Class from a file name alone: {@code Cr_12.bmp}, {@code crazing_12.bmp}, {@code
   * rolled-in_scale_7.png}, {@code pitted_surface (3).jpg}, {@code RS_12_flipped.bmp}.
   */
  public static Optional<DefectClass> classOfFileName(String fileName) {
    String base = stripExtension(fileName);
    Optional<DefectClass> c = DefectClass.lookup(TRAILING_NUMBER.matcher(base).replaceFirst(""));
    if (c.isPresent()) {
      return c;
    }
    // "Cr_12_flipped": DefectClass.lookup matches the NEU prefix before the first underscore.
    c = DefectClass.lookup(base);
    if (c.isPresent()) {
      return c;
    }
    // "rolled-in_scale_12_flipped": a full class name followed by a separator; longest name first.
    String norm = base.toLowerCase(Locale.ROOT).replace('-', '_');
    DefectClass best = null;
    for (DefectClass k : DefectClass.values()) {
      String name = k.folderName().replace('-', '_');
      if (norm.startsWith(name)
          && (norm.length() == name.length() || !Character.isLetter(norm.charAt(name.length())))
          && (best == null || name.length() > best.folderName().length())) {
        best = k;
      }
    }
    return Optional.ofNullable(best);
  }

  /** True for names with an image extension that are not hidden. */
  public static boolean isImageFile(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return false;
    }
    String n = name.toString();
    int dot = n.lastIndexOf('.');
    return !n.startsWith(".")
        && dot > 0
        && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static boolean hiddenBelow(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
