//! The QR codes the share panel draws are read back by a real decoder (zbar's `zbarimg`, which `scripts/test.sh`
//! installs): every version from 1 to 40, both error-correction levels, the masks the penalty picks.

use ad_lab::base::qr::Qr;
use std::process::Command;

/// Writes `q` as a PGM image (4 pixels per module, a quiet zone of 4 modules) and decodes it.
fn decode(q: &Qr, path: &std::path::Path) -> String {
    let scale = 4;
    let w = (q.size + 8) * scale;
    let mut img = format!("P5\n{w} {w}\n255\n").into_bytes();
    for py in 0..w {
        for px in 0..w {
            let (x, y) = ((px / scale) as isize - 4, (py / scale) as isize - 4);
            let inside = (0..q.size as isize).contains(&x) && (0..q.size as isize).contains(&y);
            img.push(if inside && q.get(x as usize, y as usize) {
                0
            } else {
                255
            });
        }
    }
    std::fs::write(path, img).unwrap();
    let out = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(path)
        .output()
        .expect("zbarimg (Debian zbar-tools; scripts/test.sh installs it)");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end_matches('\n')
        .to_string()
}

#[test]
fn zbar_reads_every_version() {
    let dir = std::env::temp_dir().join(format!("adlab-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = "https://example.org/ad-lab/#/graph?f=def%20f(x%2C%20y)%3A%0A%20%20return%20y%20*%20x**2%0A&in.x=3&mode=reverse&step=";
    let mut versions = std::collections::BTreeSet::new();
    // Lengths that reach every version at level M, then level L's last ones.
    for len in (1..200)
        .step_by(6)
        .chain((200..2954).step_by(37))
        .chain([2330, 2334, 2400, 2953])
    {
        let text: String = base.chars().cycle().take(len).collect();
        let q = Qr::new(text.as_bytes()).unwrap();
        versions.insert(q.version);
        let got = decode(&q, &dir.join("q.pgm"));
        assert_eq!(got, text, "length {len}, version {}", q.version);
    }
    assert_eq!(versions.len(), 40, "{versions:?}");
    std::fs::remove_dir_all(&dir).ok();
}
