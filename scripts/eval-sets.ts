import path from 'node:path';
import { projectRoot } from '../services/project-root';

/** The labelled safety sets `npm run eval:safety` runs (the sets themselves are described there). */
export interface SetSpec {
  name: string;
  file: string;
  /** A sealed set's misses are never printed: reading them would make it no longer unseen. */
  sealed?: boolean;
  /** A retired set is training data now: run only when named in --sets. */
  retired?: boolean;
  /**
   * Never to be copied into training data (a test checks): the sealed sets and the near-miss
   * holdout. (holdout and concepts-holdout went into training in an earlier session, so they are not.)
   */
  heldOut?: boolean;
}

export function safetyEvalSets(): SetSpec[] {
  const devSet = process.env['SAFETY_DEV_SET'] || path.resolve(projectRoot, '..', 'shared', 'eval', 'safety-dev.jsonl');
  return [
    { name: 'dev', file: devSet },
    { name: 'own', file: path.join(projectRoot, 'test', 'eval', 'safety-own.jsonl') },
    { name: 'holdout', file: path.join(projectRoot, 'test', 'eval', 'safety-holdout.jsonl') },
    { name: 'concepts', file: path.join(projectRoot, 'test', 'eval', 'safety-concepts.jsonl') },
    { name: 'concepts-holdout', file: path.join(projectRoot, 'test', 'eval', 'safety-concepts-holdout.jsonl') },
    { name: 'nearmiss-tune', file: path.join(projectRoot, 'test', 'eval', 'safety-nearmiss-tune.jsonl') },
    { name: 'nearmiss-holdout', file: path.join(projectRoot, 'test', 'eval', 'safety-nearmiss-holdout.jsonl'), heldOut: true },
    { name: 'blind', file: path.join(projectRoot, 'test', 'eval', 'safety-blind.jsonl') },
    { name: 'blind2', file: path.join(projectRoot, 'test', 'eval', 'safety-blind2.jsonl') },
    { name: 'blind3', file: path.join(projectRoot, 'test', 'eval', 'safety-blind3.jsonl') },
    { name: 'blind4', file: path.join(projectRoot, 'test', 'eval', 'safety-blind4.jsonl') },
    // blind5 and blind6 are training data now (content/safety/training-retired-blind5-6.yaml)
    { name: 'blind5', file: path.join(projectRoot, 'test', 'eval', 'safety-blind5.jsonl'), retired: true },
    { name: 'blind6', file: path.join(projectRoot, 'test', 'eval', 'safety-blind6.jsonl'), retired: true },
    // written in the ninth session by helpers that opened nothing; measured at first sight, used while developing, then training data in the tenth (content/safety/training-voices13.yaml)
    { name: 'voices13', file: path.join(projectRoot, 'test', 'eval', 'safety-voices13.jsonl'), retired: true },
    // written in the tenth session by three helpers that opened nothing, each on one theme, near-misses paired with risk messages in the same words; measured at first sight, then a development set (as training data it cost urgent recall on the sealed sets)
    { name: 'voices15', file: path.join(projectRoot, 'test', 'eval', 'safety-voices15.jsonl') },
    { name: 'blind7', file: path.join(projectRoot, 'test', 'eval', 'safety-blind7.jsonl'), sealed: true, heldOut: true },
    { name: 'blind8', file: path.join(projectRoot, 'test', 'eval', 'safety-blind8.jsonl'), sealed: true, heldOut: true },
    { name: 'blind9', file: path.join(projectRoot, 'test', 'eval', 'safety-blind9.jsonl'), sealed: true, heldOut: true },
    { name: 'blind10', file: path.join(projectRoot, 'test', 'eval', 'safety-blind10.jsonl'), sealed: true, heldOut: true },
    { name: 'voices14', file: path.join(projectRoot, 'test', 'eval', 'safety-voices14.jsonl'), sealed: true, heldOut: true },
    { name: 'voices16', file: path.join(projectRoot, 'test', 'eval', 'safety-voices16.jsonl'), sealed: true, heldOut: true },
    { name: 'voices17', file: path.join(projectRoot, 'test', 'eval', 'safety-voices17.jsonl'), sealed: true, heldOut: true },
    // written in the thirteenth session by a helper that read only the label definitions (7 copies of training texts dropped: 593); first sight: urgent 97, safeguarding 96, concern 85.9, benign false alarms 3.4%
    { name: 'voices18', file: path.join(projectRoot, 'test', 'eval', 'safety-voices18.jsonl'), sealed: true, heldOut: true },
    // written at the end of the thirteenth session by a helper that read only the label definitions (5 copies of training texts dropped: 595); first sight on the session's final rules: urgent 98.0, safeguarding 97.0, concern 82.0, benign false alarms 4.7% (the session's first build: 5.7%)
    { name: 'voices19', file: path.join(projectRoot, 'test', 'eval', 'safety-voices19.jsonl'), sealed: true, heldOut: true },
    // written at the start of the fourteenth session by a helper that read only the label definitions (4 copies of training texts dropped: 596); first sight on 07ff5b6: urgent 96, safeguarding 95, concern 83, benign false alarms 5.7% (the same on the session's first build and on its final rules)
    { name: 'voices20', file: path.join(projectRoot, 'test', 'eval', 'safety-voices20.jsonl'), sealed: true, heldOut: true },
    // written in the fourteenth session by a helper that read only the label definitions (6 copies of training texts dropped: 594), measured once on a7eea6a, after the readers' rounds; first sight: urgent 97, safeguarding 97, concern 85.6, benign false alarms 7.1% (the session's first build: the same)
    { name: 'voices21', file: path.join(projectRoot, 'test', 'eval', 'safety-voices21.jsonl'), sealed: true, heldOut: true },
    // written at the start of the fifteenth session by a helper that read only the label definitions and a brief (3 copies of training or eval texts dropped: 597), kept unread and measured once, at the end, on the session's final rules (0f1f9fc): urgent 96.0 (95/99), safeguarding 100, concern 84, benign false alarms 3.7% (the session's first build, 22b9c2d: 94.9 / 100 / 84 / 4.4%)
    { name: 'voices22', file: path.join(projectRoot, 'test', 'eval', 'safety-voices22.jsonl'), sealed: true, heldOut: true },
    // written in the sixteenth session by a helper that read only the label definitions and the brief, while the session's rules were being made (1 copy of a training or eval text dropped: 599), kept unread and measured once, at the end, on b675143: urgent 94.0, safeguarding 97.0, concern 76.0, benign false alarms 4.0% (the session's first build, 9b5a19d: the same)
    { name: 'voices23', file: path.join(projectRoot, 'test', 'eval', 'safety-voices23.jsonl'), sealed: true, heldOut: true },
    // written in the fourteenth session by two helpers that read only the label definitions, in the sealed sets' style; development sets: their misses were studied and fixed (at first sight on a7eea6a: 566 and 561 of 600 right)
    { name: 'dev22', file: path.join(projectRoot, 'test', 'eval', 'safety-dev22.jsonl') },
    { name: 'dev23', file: path.join(projectRoot, 'test', 'eval', 'safety-dev23.jsonl') },
    // written at the start of the fifteenth session by three helpers that read only the label definitions and a brief (copies of training or eval texts dropped: 596, 600, 594; dev26 leans to everyday life, 414 benign); development sets: their misses were studied and fixed (at first sight on 22b9c2d: 555, 570 and 554 right; benign false alarms 7.4, 5.3 and 4.1%)
    { name: 'dev24', file: path.join(projectRoot, 'test', 'eval', 'safety-dev24.jsonl') },
    { name: 'dev25', file: path.join(projectRoot, 'test', 'eval', 'safety-dev25.jsonl') },
    { name: 'dev26', file: path.join(projectRoot, 'test', 'eval', 'safety-dev26.jsonl') },
    // written in the fifteenth session, after the first round, by two helpers that read only the label definitions and a brief (dev27 leans to short messages, slang and learners' English; dev28 to trusted adults, young parents and a past told as over); copies dropped: 596 and 597; development sets (at first sight on b9b3adb: 562 and 546 right; benign false alarms 4.4 and 10.1%)
    { name: 'dev27', file: path.join(projectRoot, 'test', 'eval', 'safety-dev27.jsonl') },
    { name: 'dev28', file: path.join(projectRoot, 'test', 'eval', 'safety-dev28.jsonl') },
    // written in the fifteenth session's third round by two helpers that read only the label definitions and a brief (dev29 as varied as a sealed set; dev30 leans to everyday messages a careless screen would alarm on, 359 benign); copies dropped: 595 and 597; development sets (at first sight on d5d48bf: 561 and 567 right; benign false alarms 3.4 and 5.0%)
    { name: 'dev29', file: path.join(projectRoot, 'test', 'eval', 'safety-dev29.jsonl') },
    { name: 'dev30', file: path.join(projectRoot, 'test', 'eval', 'safety-dev30.jsonl') },
    // written at the end of the fifteenth session, after voices22 was measured, by two helpers that read only the label definitions and a brief, to look for misses (dev31: 250 urgent; dev32: 250 safeguarding); copies dropped: 495 and 498; development sets (at first sight on 3ade830: urgent 223/250 and safeguarding 222/250, the same on the session's first build). Rules from their misses brought them to 248/250 and 247/250, but a false-alarm reader then found 64 new false alarms in 315 everyday messages ("stockpiled enough pasta", "the lock's about to go on my bike"), and the rules were taken back out: their misses are left for the next session
    { name: 'dev31', file: path.join(projectRoot, 'test', 'eval', 'safety-dev31.jsonl') },
    { name: 'dev32', file: path.join(projectRoot, 'test', 'eval', 'safety-dev32.jsonl') },
  ];
}
